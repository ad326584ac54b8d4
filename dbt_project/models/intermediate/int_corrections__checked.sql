{#- One row per line of raw/corrections.csv (per document it names), checked and matched to the
    observation it corrects. `status` says what becomes of it:

    - invalid: the line does not check out (an unknown action, no author, date or reason, a value
      that is not what the action needs, …); `problem` says why, nothing is applied;
    - stale: no landed document has the line's sha256 (the document changed or was removed since
      the correction), or the document no longer reads an observation with the line's keys
      (page, line, cell, KPI name, measure, fiscal year as extracted), or extraction now reads
      the observation an `add` supplied: never applied to anything else;
    - ambiguous: the keys name more than one observation of the document; not applied;
    - a `resolve` names review rows, not an observation: applied when its document is landed,
      and review_queue makes it a stale correction when no review row is at its place;
    - superseded: a later line takes the same action on the same observation;
    - applied.

    A document is named by its content, so a correction survives re-extraction (new landing ids,
    a new extraction version) and copies of one report are corrected alike. -#}

with corrections as (
    select * from {{ ref('stg_raw__corrections') }}
),

documents as (
    select doc_id, sha256, fiscal_year from {{ ref('int_documents__issuer_resolved') }}
    where read_status = 'ok'
),

observations as (
    select * from {{ ref('stg_raw__kpi_observations') }}
),

line_checks as (
    select
        *,
        nullif(concat_ws('; ',
            case when action is null then 'no action'
                when action not in {{ sosei_in_list(correction_actions()) }}
                then 'action ' || action || ' is not one of {{ correction_actions() | join(", ") }}' end,
            case when sha256 is null then 'no sha256'
                when not regexp_full_match(sha256, '[0-9a-f]{64}')
                then 'sha256 ' || sha256 || ' is not a content hash (64 hex digits)' end,
            case when author is null then 'no author' end,
            case when reason is null then 'no reason' end,
            case when corrected_on_printed is null then 'no corrected_on date'
                when corrected_on is null then 'corrected_on ' || corrected_on_printed || ' is not a date (YYYY-MM-DD)' end,
            case when page_printed is not null and page is null then 'page ' || page_printed || ' is not a number' end,
            case when line_printed is not null and line is null then 'line ' || line_printed || ' is not a number' end,
            case when fiscal_year_printed is not null and fiscal_year is null
                then 'fiscal_year ' || fiscal_year_printed || ' is not a year' end,
            case when action in ('set_value', 'add') and value_number is null
                then 'value ' || coalesce(value_printed, '(empty)') || ' is not a number (no separators)' end,
            case when action = 'set_year' and try_cast(value_printed as integer) is null
                then 'value ' || coalesce(value_printed, '(empty)') || ' is not a year' end,
            case when action in ('set_unit', 'set_measure', 'set_kpi_name', 'set_project', 'resolve') and value_printed is null
                then 'no value for ' || action end,
            case when action = 'add' and (kpi_name is null or project_name is null or measure is null)
                then 'an added observation needs project_name, kpi_name and measure' end,
            case when extra_fields is not null then 'fields beyond the header: ' || extra_fields end
        ), '') as line_problem
    from corrections
),

named_documents as (
    select
        line_checks.*,
        documents.doc_id as matched_doc_id,
        documents.fiscal_year as document_fiscal_year,
        same_file.sha256 as file_sha256_now
    from line_checks
    left join documents on documents.sha256 = line_checks.sha256
    left join documents as same_file on same_file.doc_id = line_checks.doc_id
),

-- the extracted observations each line's keys name (a year-less observation takes its report's)
targets as (
    select named.correction_line, named.matched_doc_id, observations.observation_id
    from named_documents as named
    inner join observations
        on observations.doc_id = named.matched_doc_id
        and observations.page is not distinct from named.page
        and observations.line is not distinct from named.line
        and observations.cell is not distinct from named.cell
        and {{ name_key("coalesce(observations.kpi_name_printed, '')") }} = {{ name_key("coalesce(named.kpi_name, '')") }}
        and observations.measure is not distinct from named.measure
        and coalesce(observations.fiscal_year, named.document_fiscal_year) is not distinct from named.fiscal_year
    where named.line_problem is null and named.action not in ('add', 'resolve')
),

-- an observation an `add` supplies that extraction now reads itself
already_read as (
    select named.correction_line, named.matched_doc_id, min(observations.observation_id) as observation_id
    from named_documents as named
    inner join observations
        on observations.doc_id = named.matched_doc_id
        and {{ project_key("coalesce(observations.project_name_printed, '')") }} = {{ project_key('named.project_name') }}
        and {{ name_key("coalesce(observations.kpi_name_printed, '')") }} = {{ name_key('named.kpi_name') }}
        and observations.measure = named.measure
        and coalesce(observations.fiscal_year, named.document_fiscal_year) is not distinct from named.fiscal_year
    where named.line_problem is null and named.action = 'add'
    group by all
),

target_counts as (
    select correction_line, matched_doc_id, count(*) as n_targets, min(observation_id) as observation_id
    from targets
    group by all
),

judged as (
    select
        named.*,
        case
            when named.action = 'add' then named.matched_doc_id || '#c' || named.correction_line
            when target_counts.n_targets = 1 then target_counts.observation_id
        end as observation_id,
        case
            when named.line_problem is not null then 'invalid'
            when named.matched_doc_id is null or already_read.correction_line is not null then 'stale'
            when named.action in ('add', 'resolve') then 'applied'
            when target_counts.n_targets is null then 'stale'
            when target_counts.n_targets > 1 then 'ambiguous'
            else 'applied'
        end as status,
        case
            when named.line_problem is not null then named.line_problem
            when named.matched_doc_id is null and named.file_sha256_now is not null
                then named.doc_id || ' changed since the correction (sha256 ' || named.sha256 || ', now '
                    || named.file_sha256_now || ')'
            when named.matched_doc_id is null
                then 'no landed document has sha256 ' || named.sha256
                    || coalesce(' (' || named.doc_id || ')', '') || ': it changed or was removed since the correction'
            when already_read.correction_line is not null
                then 'extraction now reads the observation it adds (' || already_read.observation_id || ')'
            when named.action in ('add', 'resolve') then null
            when target_counts.n_targets is null
                then 'the document no longer reads ' || coalesce(named.kpi_name, '(no KPI name)') || ' '
                    || coalesce(named.measure, '(no measure)') || ' FY' || coalesce(cast(named.fiscal_year as varchar), '?')
                    || ' at ' || concat_ws(' ', 'p.' || named.page, 'line ' || named.line, 'cell ' || named.cell)
            when target_counts.n_targets > 1
                then 'its keys name ' || target_counts.n_targets || ' observations of '
                    || named.matched_doc_id || '; give page, line or cell'
        end as problem
    from named_documents as named
    left join target_counts
        on target_counts.correction_line = named.correction_line
        and target_counts.matched_doc_id = named.matched_doc_id
    left join already_read
        on already_read.correction_line = named.correction_line
        and already_read.matched_doc_id = named.matched_doc_id
),

-- a later line taking the same action on the same observation replaces an earlier one
final as (
    select
        correction_line,
        action,
        case
            when status = 'applied' and action not in ('add', 'resolve') and row_number() over (
                partition by observation_id, action, status = 'applied' order by correction_line desc
            ) > 1 then 'superseded'
            else status
        end as status,
        problem,
        coalesce(matched_doc_id, doc_id) as doc_id,
        matched_doc_id is not null as is_document_landed,
        observation_id,
        sha256,
        page,
        line,
        cell,
        project_name,
        kpi_name,
        measure,
        fiscal_year,
        value_printed,
        value_number,
        unit,
        author,
        corrected_on,
        reason
    from judged
)

select * from final
