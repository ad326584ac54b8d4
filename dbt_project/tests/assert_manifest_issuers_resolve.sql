-- A document the manifest gives a code for resolves to that code through the manifest, and
-- the name the manifest prints is that government's name in the reference list.
with documents as (
    select * from {{ ref('int_documents__issuer_resolved') }}
),

manifest as (
    select * from {{ ref('stg_raw__manifest') }}
),

issuers as (
    select * from {{ ref('dim_issuer') }}
)

select
    manifest.doc_id,
    manifest.issuer_code as manifest_code,
    manifest.issuer_name as manifest_name,
    documents.issuer_code as resolved_code,
    documents.issuer_resolution,
    issuers.issuer_name as reference_name
from manifest
inner join documents using (doc_id)
left join issuers on issuers.issuer_code = manifest.issuer_code
where manifest.issuer_code is not null
  and (
      documents.issuer_code is distinct from manifest.issuer_code
      or documents.issuer_resolution <> 'manifest'
      or (manifest.issuer_name is not null and manifest.issuer_name is distinct from issuers.issuer_name)
  )
