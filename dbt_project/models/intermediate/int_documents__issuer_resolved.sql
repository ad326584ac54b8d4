{#- One row per landed document, with its issuer resolved to a 全国地方公共団体コード.
    The manifest's line for the document decides first (its code, else its name; a code that
    does not check out resolves nothing, int_manifest__checked), the name the extractor
    inferred from the content comes second. A name that matches several governments (府中市 is in Tokyo and
    Hiroshima) is left unresolved for a person, never guessed. -#}

with documents as (
    select * from {{ ref('stg_raw__documents') }}
),

manifest_lines as (
    select * from {{ ref('int_manifest__checked') }}
),

-- the one manifest line that describes each document (repeated or conflicting lines are not)
manifest as (
    select * from manifest_lines where is_applied
),

issuer_name_keys as (
    select * from {{ ref('int_issuers__name_keys') }}
),

documents_with_manifest as (
    select
        documents.*,
        documents.doc_id in (select doc_id from manifest_lines where doc_id is not null) as in_manifest,
        manifest.manifest_line,
        manifest.issuer_code_printed as manifest_issuer_code_printed,
        manifest.issuer_code as manifest_issuer_code,
        manifest.issuer_code_problem as manifest_issuer_code_problem,
        manifest.issuer_name as manifest_issuer_name,
        manifest.doc_kind as manifest_doc_kind,
        manifest.fiscal_year as manifest_fiscal_year,
        manifest.title as manifest_title,
        manifest.retrieved_on,
        manifest.source_url
    from documents
    left join manifest using (doc_id)
),

-- the name to match when the manifest prints no code, and where it came from
names_to_match as (
    select
        doc_id,
        coalesce(manifest_issuer_name, inferred_issuer_name) as issuer_name,
        case when manifest_issuer_name is not null then 'manifest' else 'content' end as name_source
    from documents_with_manifest
    where manifest_issuer_code_printed is null
      and coalesce(manifest_issuer_name, inferred_issuer_name) is not null
),

name_matches as (
    select
        names_to_match.doc_id,
        names_to_match.name_source,
        count(issuer_name_keys.issuer_code) as n_candidates,
        min(issuer_name_keys.issuer_code) as issuer_code
    from names_to_match
    left join issuer_name_keys
        on issuer_name_keys.name_key = {{ name_key('names_to_match.issuer_name') }}
    group by all
),

resolved as (
    select
        d.*,
        case
            when d.manifest_issuer_code is not null then d.manifest_issuer_code
            when d.manifest_issuer_code_printed is null and name_matches.n_candidates = 1
                then name_matches.issuer_code
        end as issuer_code,
        case
            when d.manifest_issuer_code is not null then 'manifest'
            when d.manifest_issuer_code_printed is null and name_matches.n_candidates = 1
                then name_matches.name_source
            else 'unresolved'
        end as issuer_resolution,
        case
            when d.manifest_issuer_code is not null then null
            when d.manifest_issuer_code_problem is not null
                then 'manifest.csv line ' || d.manifest_line || ': ' || d.manifest_issuer_code_problem
            when name_matches.doc_id is null then 'no issuer in the manifest and none inferred from the content'
            when name_matches.n_candidates = 0
                then 'issuer name ' || coalesce(d.manifest_issuer_name, d.inferred_issuer_name)
                    || ' (' || name_matches.name_source || ') matches no government'
            when name_matches.n_candidates > 1
                then 'issuer name ' || coalesce(d.manifest_issuer_name, d.inferred_issuer_name)
                    || ' (' || name_matches.name_source || ') matches ' || name_matches.n_candidates
                    || ' governments; give its prefecture or code'
        end as issuer_unresolved_reason
    from documents_with_manifest as d
    left join name_matches on name_matches.doc_id = d.doc_id
),

final as (
    select
        doc_id,
        doc_name,
        path,
        sha256,
        file_format,
        n_pages,
        coalesce(manifest_title, inferred_title) as title,
        issuer_code,
        -- what links a document's KPIs to other documents': an unknown issuer links nothing
        coalesce(issuer_code, 'doc:' || doc_id) as issuer_key,
        issuer_resolution,
        issuer_unresolved_reason,
        coalesce(manifest_issuer_name, inferred_issuer_name) as issuer_name_printed,
        coalesce(manifest_doc_kind, inferred_doc_kind) as doc_kind,
        case
            when manifest_doc_kind is not null then 'manifest'
            when inferred_doc_kind is not null then 'content'
        end as doc_kind_source,
        coalesce(manifest_fiscal_year, inferred_fiscal_year) as fiscal_year,
        case
            when manifest_fiscal_year is not null then 'manifest'
            when inferred_fiscal_year is not null then 'content'
        end as fiscal_year_source,
        in_manifest,
        retrieved_on,
        source_url,
        read_status,
        {{ relative_to_raw('read_error', 'path', 'doc_id') }} as read_error,
        n_observations,
        n_projects,
        n_review,
        reader_version,
        landed_at
    from resolved
)

select * from final
