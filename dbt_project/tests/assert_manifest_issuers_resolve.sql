-- A document whose manifest line gives a code that checks out resolves to that code through the
-- manifest; a line whose code does not check out resolves nothing and says why.
with documents as (
    select * from {{ ref('int_documents__issuer_resolved') }}
),

manifest as (
    select * from {{ ref('int_manifest__checked') }}
    where is_applied and issuer_code_printed is not null
)

select
    manifest.doc_id,
    manifest.manifest_line,
    manifest.issuer_code as manifest_code,
    manifest.issuer_code_problem,
    documents.issuer_code as resolved_code,
    documents.issuer_resolution,
    documents.issuer_unresolved_reason
from manifest
inner join documents using (doc_id)
where documents.issuer_code is distinct from manifest.issuer_code
   or (manifest.issuer_code is not null and documents.issuer_resolution <> 'manifest')
   or (manifest.issuer_code is null and documents.issuer_unresolved_reason
       not like 'manifest.csv line ' || manifest.manifest_line || ': %')
