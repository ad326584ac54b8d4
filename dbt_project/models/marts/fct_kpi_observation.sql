{{ config(**rebuilt_per_document('issuer_code')) }}

{#- One row per landed observation that passed the row-level checks: a KPI's number for one
    fiscal year and measure, as printed and in base units, with where it was printed, and, where
    the data team corrected or added it (raw/corrections.csv), what extraction read beside the
    corrected value with who corrected it, when and why.

    `verification` checks each number against all the evidence bearing on it: what its own
    report prints beside it (a 達成率, an achievement mark, a second printing:
    int_kpi_observations__verified) and, for a baseline or a target, the same KPI's in the
    issuer's other reports (the same fiscal year; a baseline without a year matches any; agreeing
    in the base unit within the registry's cross_report_tolerance). `contradicted` when evidence
    that pins the number (a 達成率, a second printing: the registry's verifying_evidence)
    disagrees, or other evidence (a mark, another report) does and none that pins agrees
    (review_queue states both readings, and fct_kpi_result leaves it out of the rates);
    `verified` when evidence that pins it agrees (a mark that differs from a rate that agrees is
    the misprint, and is listed); `consistent` when only a mark or another report agrees;
    `unchecked` without evidence. A number a person confirmed against the report (a `confirm` line
    of raw/corrections.csv) is `verified` whatever the rest says, its evidence naming them first.
    `verification_evidence` states each reading. Every printing an
    issuer makes of a KPI bears on it, so the model is rebuilt per issuer (macros/incremental.sql). -#}

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
        observations.correction_reason,
        observations.confirmation
    from observations
    inner join documents using (doc_id)
    where observations.quarantine_reason is null
),

-- the same KPI's baseline or target as the issuer's other reports print it, in the same base unit
other_printings as (
    select
        this.observation_id,
        other.doc_id || ': ' || coalesce(other.value_text, cast(other.value as varchar)) || coalesce(' ' || other.unit, '')
            as reading,
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

-- what the observation's own report prints beside it
in_report as (
    select observation_id, agrees, pins, reading
    from {{ ref('int_kpi_observations__verified') }}
    where observation_id in (select observation_id from published)
),

all_evidence as (
    select observation_id, agrees, pins, reading from in_report
    union all
    select observation_id, agrees, false, reading from other_printings
),

verifications as (
    select
        observation_id,
        -- a mark or another report that differs where a printed rate pins the number is the misprint
        case
            when bool_or(pins and not agrees) then 'contradicted'
            when bool_or(pins and agrees) then 'verified'
            when not bool_and(agrees) then 'contradicted'
            else 'consistent'
        end as verification,
        string_agg(reading || case when agrees then ' (agrees)' else ' (differs)' end, '; ' order by reading)
            as verification_evidence
    from all_evidence
    group by observation_id
),

final as (
    select
        published.* exclude (confirmation),
        case when published.confirmation is not null then 'verified'
            else coalesce(verifications.verification, 'unchecked') end as verification,
        nullif(concat_ws('; ', published.confirmation, verifications.verification_evidence), '') as verification_evidence
    from published
    left join verifications using (observation_id)
)

select * from final
