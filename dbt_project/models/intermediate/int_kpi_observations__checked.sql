{{ config(**rebuilt_per_document('doc_id')) }}

{#- Every landed observation with its keys, base-unit value and row-level quality verdict.
    `quarantine_reason` is null for a publishable row; otherwise it lists every rule the row
    breaks: the rules of relation `quarantine` in orchestration/quality/rules.toml (the macro
    quality_quarantine_reasons, written from it) and the repeats below. An unknown unit is not a
    quarantine reason (it is reviewed).
    One document stating one KPI's measure for one year twice keeps the first printing when
    both agree; when they disagree, neither is published, since either could be the misread.
    An observation the data team rejected (int_kpi_observations__corrected.rejection) is
    quarantined with who rejected it and why, and takes no part in the repeats.
    Everything here is decided within one document: rebuilt per document (macros/incremental.sql). -#}

with observations as (
    select * from {{ ref('int_kpi_observations__base_units') }}
    where {{ rebuilt_rows_only('doc_id', 'doc_id') }}
),

identity as (
    select * from {{ ref('int_kpis__identity') }}
    where {{ rebuilt_rows_only('doc_id', 'doc_id') }}
),

grant_programs as (
    select * from {{ ref('int_grant_programs__resolved') }}
),

documents as (
    select doc_id, fiscal_year as document_fiscal_year from {{ ref('int_documents__issuer_resolved') }}
),

joined as (
    select
        -- A target or actual printed with no year of its own is for the year the report covers
        -- (the manifest's, else the one read from the report); the source says which.
        observations.* replace (
            case
                when observations.fiscal_year is null and observations.measure in ('target', 'actual')
                    then documents.document_fiscal_year
                else observations.fiscal_year
            end as fiscal_year
        ),
        case
            when observations.fiscal_year is not null then 'printed'
            when observations.measure in ('target', 'actual') and documents.document_fiscal_year is not null
                then 'report'
        end as fiscal_year_source,
        identity.kpi_id,
        identity.project_id,
        identity.issuer_code,
        grant_programs.grant_program_id
    from observations
    inner join identity using (observation_id)
    left join grant_programs using (grant_program_printed)
    left join documents on documents.doc_id = observations.doc_id
),

printings_in_document as (
    select
        *,
        row_number() over same_fact as printing_number,
        first_value(observation_id) over same_fact as first_printing_id,
        -- over the whole group: an ordered window would count only the rows up to this one
        count(distinct coalesce(cast(value as varchar), '') || '|' || coalesce(status, '')) over (
            partition by kpi_id, doc_id, measure, fiscal_year, rejection is null
        ) as n_distinct_readings
    from joined
    window same_fact as (
        partition by kpi_id, doc_id, measure, fiscal_year, rejection is null order by seq, observation_id
    )
),

checks as (
    select
        *,
        case
            when rejection is not null then null
            when n_distinct_readings > 1
                then 'the document states this KPI''s ' || measure || ' for this year with different values'
            when printing_number > 1 then 'repeats observation ' || first_printing_id
        end as bad_repeat
    from printings_in_document
),

-- The row-level rules are the quality registry's (rules.toml, relation `quarantine`); the
-- repeats above are this model's, as they need the document's other printings.
final as (
    select
        * exclude (bad_repeat, printing_number, first_printing_id, n_distinct_readings),
        nullif(concat_ws('; ', rejection, {{ quality_quarantine_reasons() }}, bad_repeat), '') as quarantine_reason
    from checks
)

select * from final
