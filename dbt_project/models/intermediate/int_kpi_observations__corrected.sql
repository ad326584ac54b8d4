{{ config(**rebuilt_per_document('doc_id')) }}

{#- Every landed observation with the data team's corrections applied (int_corrections__checked,
    status applied), and the observations they add. A corrected field keeps what extraction read
    beside it (extracted_*), with who corrected it, when and why; a rejected observation carries
    `rejection`, which int_kpi_observations__checked quarantines it with; a confirmed one
    `confirmation` (who checked it against the report, when and why), which makes it verified. Everything downstream
    (base units, KPI identity, checks, marts) reads this model, not staging. Rebuilt per document:
    a document's corrections are part of its fingerprint (macros/incremental.sql). -#}

with observations as (
    select * from {{ ref('stg_raw__kpi_observations') }}
    where {{ rebuilt_rows_only('doc_id', 'doc_id') }}
),

corrections as (
    select * from {{ ref('int_corrections__checked') }}
    where status = 'applied' and {{ rebuilt_rows_only('doc_id', 'doc_id') }}
),

-- each observation's applied corrections, one row (one action of each kind: later lines supersede)
corrected as (
    select
        observation_id,
        {%- for action, field in correction_set_actions().items() %}
        bool_or(action = '{{ action }}') as has_{{ action }},
        {%- endfor %}
        max(value_number) filter (where action = 'set_value') as new_value,
        max(value_printed) filter (where action = 'set_value') as new_value_text,
        max(unit) filter (where action = 'set_value') as new_value_unit,
        max(value_printed) filter (where action = 'set_unit') as new_unit,
        max(try_cast(value_printed as integer)) filter (where action = 'set_year') as new_fiscal_year,
        max(lower(value_printed)) filter (where action = 'set_measure') as new_measure,
        max(value_printed) filter (where action = 'set_kpi_name') as new_kpi_name,
        max(value_printed) filter (where action = 'set_project') as new_project_name,
        string_agg(action || coalesce(' ' || value_printed, ''), '; ' order by correction_line)
            filter (where action not in ('reject', 'confirm')) as correction_actions,
        string_agg(distinct author, ', ' order by author) filter (where action <> 'confirm') as corrected_by,
        max(corrected_on) filter (where action <> 'confirm') as corrected_on,
        string_agg(reason || ' (corrections.csv line ' || correction_line || ')', '; ' order by correction_line)
            filter (where action <> 'confirm') as correction_reason,
        string_agg('rejected by ' || author || ' on ' || corrected_on || ' (corrections.csv line '
            || correction_line || '): ' || reason, '; ' order by correction_line)
            filter (where action = 'reject') as rejection,
        -- a person checked the (corrected) number against the report: verified, naming them
        string_agg('confirmed by ' || author || ' on ' || corrected_on || ' (corrections.csv line '
            || correction_line || '): ' || reason, '; ' order by correction_line)
            filter (where action = 'confirm') as confirmation
    from corrections
    where action not in ('add', 'resolve')
    group by observation_id
),

applied as (
    select
        observations.* replace (
            case when corrected.has_set_value then corrected.new_value else observations.value end as value,
            case when corrected.has_set_value then corrected.new_value_text else observations.value_text end
                as value_text,
            case
                when corrected.has_set_unit then corrected.new_unit
                when corrected.new_value_unit is not null then corrected.new_value_unit
                else observations.unit
            end as unit,
            case when corrected.has_set_value then null else observations.status end as status,
            case when corrected.has_set_year then corrected.new_fiscal_year else observations.fiscal_year end
                as fiscal_year,
            case when corrected.has_set_measure then corrected.new_measure else observations.measure end as measure,
            case when corrected.has_set_kpi_name then corrected.new_kpi_name else observations.kpi_name_printed end
                as kpi_name_printed,
            case when corrected.has_set_project then corrected.new_project_name else observations.project_name_printed end
                as project_name_printed
        ),
        'extracted' as origin,
        observations.value as extracted_value,
        observations.unit as extracted_unit,
        observations.fiscal_year as extracted_fiscal_year,
        observations.measure as extracted_measure,
        observations.kpi_name_printed as extracted_kpi_name,
        observations.project_name_printed as extracted_project_name,
        corrected.correction_actions,
        corrected.corrected_by,
        corrected.corrected_on,
        corrected.correction_reason,
        corrected.rejection,
        corrected.confirmation
    from observations
    left join corrected using (observation_id)
),

-- the programme an added observation was reported under: its project's in the same document
document_programs as (
    select doc_id, {{ project_key("coalesce(project_name_printed, '')") }} as project_key,
        min(grant_program_printed) as grant_program_printed
    from observations
    group by all
),

-- An added observation is ordered after every printed one of its document (seq), and its
-- provenance is the place the correction names.
added as (
    select
        corrections.observation_id,
        corrections.doc_id,
        1000000 + corrections.correction_line as seq,
        document_programs.grant_program_printed,
        corrections.project_name as project_name_printed,
        corrections.kpi_name as kpi_name_printed,
        null::integer as kpi_seq,
        corrections.measure,
        corrections.fiscal_year,
        corrections.value_number as value,
        corrections.value_printed as value_text,
        corrections.unit,
        null::varchar as status,
        corrections.page,
        corrections.line,
        corrections.cell,
        null::varchar as fragment,
        'correction' as reader,
        null::varchar as reader_version,
        null::double as ocr_confidence,
        null::double as confidence,
        'added' as origin,
        null::double as extracted_value,
        null::varchar as extracted_unit,
        null::integer as extracted_fiscal_year,
        null::varchar as extracted_measure,
        null::varchar as extracted_kpi_name,
        null::varchar as extracted_project_name,
        'add' as correction_actions,
        corrections.author as corrected_by,
        corrections.corrected_on,
        corrections.reason || ' (corrections.csv line ' || corrections.correction_line || ')' as correction_reason,
        null::varchar as rejection,
        null::varchar as confirmation
    from corrections
    left join document_programs
        on document_programs.doc_id = corrections.doc_id
        and document_programs.project_key = {{ project_key('corrections.project_name') }}
    where corrections.action = 'add'
),

final as (
    select * from applied
    union all by name
    select * from added
)

select * from final
