{#- Everything a person must look at, in one place: fragments the extractor could not read,
    documents it could not read at all or that the manifest does not list, manifest lines
    that do not check out, issuers and grant
    programmes that did not resolve, KPI links that may be wrong, units without a scale, KPI
    directions the data cannot decide, and lines of raw/corrections.csv that were not applied
    (`correction`: the line does not check out or names several observations; `stale_correction`:
    its document changed or its target is gone), and numbers their evidence contradicts — a
    printed 達成率, an achievement mark, a second printing, another report of the issuer
    (`contradicted_observation`, fct_kpi_observation.verification), stating both readings.
    Each row names the document, where in it, and why. A row the data team resolved (action
    resolve) stays, with who resolved it, when and why; the open rows have no `resolved_by`. -#}

with extraction_items as (
    select * from {{ ref('stg_raw__review_items') }}
),

documents as (
    select * from {{ ref('int_documents__issuer_resolved') }}
),

manifest_lines as (
    select * from {{ ref('int_manifest__checked') }}
),

observations as (
    select * from {{ ref('int_kpi_observations__checked') }}
),

identity as (
    select * from {{ ref('int_kpis__identity') }}
),

kpis as (
    select * from {{ ref('dim_kpi') }}
),

corrections as (
    select * from {{ ref('int_corrections__checked') }}
),

contradicted as (
    select * from {{ ref('fct_kpi_observation') }}
    where verification = 'contradicted'
),

extraction as (
    select
        'extraction' as review_source, review_item_id as source_key, items.doc_id, page, line, cell,
        {{ relative_to_raw('items.reason', 'landed.path', 'items.doc_id') }} as reason, fragment
    from extraction_items as items
    left join {{ ref('stg_raw__documents') }} as landed using (doc_id)
),

read_errors as (
    select
        'read_error', doc_id, doc_id, null::integer, null::integer, null::varchar,
        coalesce(read_error, 'document could not be read'), null::varchar
    from documents
    where read_status <> 'ok'
),

not_in_manifest as (
    select
        'not_in_manifest', doc_id, doc_id, null, null, null,
        'document is not in raw/manifest.csv; issuer, kind and year were inferred from its content',
        null
    from documents
    where not in_manifest
),

-- a manifest line's problems, on the line (issuer codes that do not check out are reported
-- with the issuer they leave unresolved)
manifest_problems as (
    select
        'manifest', 'line ' || manifest_line, coalesce(doc_id, 'manifest.csv'), null, manifest_line, null,
        'manifest.csv line ' || manifest_line || ': ' || problems,
        concat_ws(',', doc_id, issuer_name, issuer_code_printed)
    from manifest_lines
    where problems is not null
),

unresolved_issuers as (
    select
        'unresolved_issuer', doc_id, doc_id, null, null, null, issuer_unresolved_reason, issuer_name_printed
    from documents
    where issuer_resolution = 'unresolved'
),

unresolved_programs as (
    select
        'unresolved_grant_program',
        doc_id || '|' || grant_program_printed,
        doc_id,
        min(page),
        min(line),
        min(cell),
        'grant programme name matches no programme or alias in the grant_programs seeds',
        grant_program_printed
    from observations
    where grant_program_printed is not null and grant_program_id is null
    group by doc_id, grant_program_printed
),

uncertain_links as (
    select
        'uncertain_kpi_link',
        identity.kpi_id || '|' || identity.doc_id,
        identity.doc_id,
        min(observations.page),
        min(observations.line),
        min(observations.cell),
        'KPI name is printed under another project of this issuer in a report that never prints '
            || 'the two projects together; not linked: confirm whether the project was renamed',
        any_value(identity.project_name_printed) || ' / ' || any_value(identity.kpi_name_printed)
    from identity
    inner join observations using (observation_id)
    where identity.is_link_uncertain
    group by identity.kpi_id, identity.doc_id
),

unknown_units as (
    select
        'unknown_unit', observation_id, doc_id, page, line, cell,
        'unit ' || unit || ' is not in the unit_scales seed; value kept without a base unit',
        fragment
    from observations
    where unit_status = 'unknown'
),

unconfirmed_directions as (
    select
        'unconfirmed_kpi_direction', kpis.kpi_id, any_value(identity.doc_id), null, null, null,
        'every target is below the baseline: a reduction target, or targets printed as increments? '
            || 'direction assumed higher_is_better',
        any_value(kpis.project_name) || ' / ' || any_value(kpis.kpi_name)
    from kpis
    inner join identity using (kpi_id)
    where kpis.direction_rule = 'target_below_baseline_unconfirmed'
    group by kpis.kpi_id
),

-- a line of raw/corrections.csv that does not check out, names several observations, or is
-- stale (its document changed, or its target is gone): not applied, on the line
correction_problems as (
    select
        case status when 'stale' then 'stale_correction' else 'correction' end,
        'line ' || correction_line || coalesce('|' || doc_id, ''),
        coalesce(doc_id, 'corrections.csv'),
        page,
        line,
        cell,
        'corrections.csv line ' || correction_line || ': '
            || case status when 'stale' then 'stale correction: ' else '' end || problem,
        concat_ws(',', action, project_name, kpi_name, measure, fiscal_year, value_printed, author)
    from corrections
    where status in ('invalid', 'stale', 'ambiguous')
),

-- a number its evidence contradicts (its report's 達成率 or mark, another report): both readings
contradictions as (
    select
        'contradicted_observation', observation_id, doc_id, page, line, cell,
        measure || ' FY' || coalesce(cast(fiscal_year as varchar), '?') || ' is '
            || coalesce(value_text, cast(value as varchar)) || coalesce(' ' || unit, '')
            || ' here, but ' || verification_evidence,
        fragment
    from contradicted
),

unioned as (
    select * from extraction
    union all select * from read_errors
    union all select * from not_in_manifest
    union all select * from manifest_problems
    union all select * from unresolved_issuers
    union all select * from unresolved_programs
    union all select * from uncertain_links
    union all select * from unknown_units
    union all select * from unconfirmed_directions
    union all select * from correction_problems
    union all select * from contradictions
),

-- the data team's resolutions (action resolve): the rows of the review source `value` at the
-- line's place (page, line, cell) in its document; a later line replaces an earlier one
resolutions as (
    select
        doc_id,
        value_printed as review_source,
        page,
        line,
        cell,
        arg_max(author, correction_line) as resolved_by,
        arg_max(corrected_on, correction_line) as resolved_on,
        arg_max(reason || ' (corrections.csv line ' || correction_line || ')', correction_line) as resolution
    from corrections
    where action = 'resolve' and status = 'applied'
    group by all
),

resolved as (
    select unioned.*, resolutions.resolved_by, resolutions.resolved_on, resolutions.resolution
    from unioned
    left join resolutions
        on resolutions.doc_id = unioned.doc_id
        and resolutions.review_source = unioned.review_source
        and resolutions.page is not distinct from unioned.page
        and resolutions.line is not distinct from unioned.line
        and resolutions.cell is not distinct from unioned.cell
),

-- a resolve that finds no review row at its place (the row went, or never was)
stale_resolutions as (
    select
        'stale_correction',
        'line ' || corrections.correction_line || '|' || corrections.doc_id,
        corrections.doc_id,
        corrections.page,
        corrections.line,
        corrections.cell,
        'corrections.csv line ' || corrections.correction_line || ': stale correction: no '
            || corrections.value_printed || ' review row of ' || corrections.doc_id || ' at '
            || coalesce(nullif(concat_ws(' ', 'p.' || corrections.page, 'line ' || corrections.line,
                'cell ' || corrections.cell), ''), 'the document'),
        concat_ws(',', corrections.action, corrections.value_printed, corrections.author),
        null::varchar,
        null::date,
        null::varchar
    from corrections
    where corrections.action = 'resolve' and corrections.status = 'applied'
        and not exists (
            select 1 from unioned
            where unioned.doc_id = corrections.doc_id
                and unioned.review_source = corrections.value_printed
                and unioned.page is not distinct from corrections.page
                and unioned.line is not distinct from corrections.line
                and unioned.cell is not distinct from corrections.cell
        )
),

final as (
    select
        md5(review_source || '|' || source_key) as review_id,
        *
    from (select * from resolved union all select * from stale_resolutions)
)

select * from final
