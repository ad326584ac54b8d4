{#- One row per loaded report: what it is, whose it is, which year it covers, whether it could
    be read, and what it yielded. -#}

with documents as (
    select * from {{ ref('int_documents__issuer_resolved') }}
),

final as (
    select
        doc_id,
        doc_name,
        title,
        issuer_code,
        issuer_name_printed,
        issuer_resolution,
        doc_kind,
        doc_kind_source,
        fiscal_year,
        fiscal_year_source,
        in_manifest,
        retrieved_on,
        source_url,
        file_format,
        n_pages,
        sha256,
        read_status,
        read_error,
        n_observations,
        n_projects,
        n_review,
        reader_version,
        landed_at
    from documents
)

select * from final
