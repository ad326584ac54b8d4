{{ config(**rebuilt_per_document('doc_id')) }}

{#- One row per landed observation that passed the row-level checks: a KPI's number for one
    fiscal year and measure, as printed and in base units, with where it was printed, and, where
    the data team corrected or added it (raw/corrections.csv), what extraction read beside the
    corrected value with who corrected it, when and why. Rebuilt
    per document (macros/incremental.sql). -#}

with observations as (
    select * from {{ ref('int_kpi_observations__checked') }}
    where {{ rebuilt_rows_only('doc_id', 'doc_id') }}
),

documents as (
    select * from {{ ref('int_documents__issuer_resolved') }}
),

published as (
    select
        observations.observation_id,
        observations.doc_id,
        observations.kpi_id,
        observations.project_id,
        observations.issuer_code,
        observations.grant_program_id,
        observations.fiscal_year,
        observations.fiscal_year_source,
        documents.fiscal_year as report_fiscal_year,
        observations.measure,
        observations.value,
        observations.value_text,
        observations.unit,
        observations.value_base,
        observations.base_unit,
        observations.scale_factor,
        observations.unit_status,
        observations.status,
        observations.page,
        observations.line,
        observations.cell,
        observations.fragment,
        observations.reader,
        observations.reader_version,
        observations.ocr_confidence,
        observations.seq,
        observations.origin,
        observations.extracted_value,
        observations.extracted_unit,
        observations.extracted_fiscal_year,
        observations.extracted_measure,
        observations.extracted_kpi_name,
        observations.extracted_project_name,
        observations.correction_actions,
        observations.corrected_by,
        observations.corrected_on,
        observations.correction_reason
    from observations
    inner join documents using (doc_id)
    where observations.quarantine_reason is null
)

select * from published
