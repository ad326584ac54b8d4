{{ config(**rebuilt_per_document('issuer_code')) }}

{#- One row per landed observation that passed the row-level checks: a KPI's number for one
    fiscal year and measure, as printed and in base units, with where it was printed, and, where
    the data team corrected or added it (raw/corrections.csv), what extraction read beside the
    corrected value with who corrected it, when and why.

    `verification` checks a baseline or a target against the same KPI's printed in the issuer's
    other reports (the same fiscal year; a baseline without a year matches any): `consistent`
    when every other printing agrees in the base unit (within the registry's
    cross_report_tolerance), `contradicted` when one does not (`verification_evidence` states
    each reading), `unchecked` when no other report prints it. Every printing an issuer makes of
    a KPI bears on it, so the model is rebuilt per issuer (macros/incremental.sql). -#}

with observations as (
    select * from {{ ref('int_kpi_observations__checked') }}
    where {{ rebuilt_rows_only('doc_id', 'issuer_code') }}
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
        observations.confidence,
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
),

-- the same KPI's baseline or target as the issuer's other reports print it, in the same base unit
other_printings as (
    select
        this.observation_id,
        other.doc_id,
        coalesce(other.value_text, cast(other.value as varchar)) as value_text,
        other.unit,
        abs(coalesce(other.value_base, other.value) - coalesce(this.value_base, this.value))
            <= {{ quality_param('cross_report_tolerance') }}
                * greatest(abs(coalesce(other.value_base, other.value)), abs(coalesce(this.value_base, this.value)))
            as agrees
    from published as this
    inner join published as other
        on other.kpi_id = this.kpi_id
        and other.measure = this.measure
        and other.doc_id <> this.doc_id
        and coalesce(other.base_unit, other.unit, '') = coalesce(this.base_unit, this.unit, '')
    where this.measure in ('baseline', 'target')
        and this.value is not null and other.value is not null
        and (other.fiscal_year = this.fiscal_year
            or (this.measure = 'baseline' and (other.fiscal_year is null or this.fiscal_year is null)))
),

verifications as (
    select
        observation_id,
        case when bool_and(agrees) then 'consistent' else 'contradicted' end as verification,
        string_agg(doc_id || ': ' || value_text || coalesce(' ' || unit, '')
            || case when agrees then ' (agrees)' else ' (differs)' end, '; ' order by doc_id, value_text)
            as verification_evidence
    from other_printings
    group by observation_id
),

final as (
    select
        published.*,
        coalesce(verifications.verification, 'unchecked') as verification,
        verifications.verification_evidence
    from published
    left join verifications using (observation_id)
)

select * from final
