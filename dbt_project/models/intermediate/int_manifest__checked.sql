{#- One row per line of raw/manifest.csv, checked. A line's problems never stop the build: the
    values that fail a check are not applied (the document keeps what extraction inferred) and
    `problems` says why, for the review queue.

    - issuer_code: matched against the seed. A code read from a spreadsheet may have lost its
      leading zero (32018 → 032018) or be printed without its check digit (03201 → 032018); a
      5-digit code that could be either is not guessed. A code whose government is not the
      issuer_name beside it is not applied either (either could be the mistake).
    - one line per document: identical repeats are reported and the first is used; lines that
      disagree are all reported and none is used.
    - doc_kind, fiscal_year and retrieved_on must be what the columns hold.
    - a line naming no landed document, and a line whose year or government contradicts what
      the document itself states (the manifest's value is used), are reported. -#}

with manifest as (
    select * from {{ ref('stg_raw__manifest') }}
),

issuers as (
    select * from {{ ref('int_issuers__names') }}
),

documents as (
    select doc_id, inferred_issuer_name, inferred_fiscal_year from {{ ref('stg_raw__documents') }}
),

issuer_name_keys as (
    select * from {{ ref('int_issuers__name_keys') }}
),

printed_codes as (
    select manifest_line, issuer_code_printed
    from manifest
    where regexp_full_match(issuer_code_printed, '[0-9]{5,6}')
),

-- the governments a printed code can be: itself with its leading zero back, or (5 digits) the
-- code whose check digit it lacks; two equality joins, not a comparison with every government
code_matches as (
    select printed.manifest_line, issuers.issuer_code
    from printed_codes as printed
    inner join issuers on issuers.issuer_code = lpad(printed.issuer_code_printed, 6, '0')
    union
    select printed.manifest_line, issuers.issuer_code
    from printed_codes as printed
    inner join issuers on left(issuers.issuer_code, 5) = printed.issuer_code_printed
    where length(printed.issuer_code_printed) = 5
),

code_candidates as (
    select
        manifest.manifest_line,
        count(code_matches.issuer_code) as n_candidates,
        min(code_matches.issuer_code) as issuer_code,
        string_agg(code_matches.issuer_code, ' or ' order by code_matches.issuer_code) as candidates
    from manifest
    left join code_matches using (manifest_line)
    where manifest.issuer_code_printed is not null
    group by manifest.manifest_line
),

-- the government the content names, when it names exactly one
content_issuers as (
    select
        documents.doc_id,
        min(issuer_name_keys.issuer_code) as issuer_code,
        min(issuer_name_keys.issuer_name) as issuer_name
    from documents
    inner join issuer_name_keys on issuer_name_keys.name_key = {{ name_key('documents.inferred_issuer_name') }}
    group by documents.doc_id
    having count(*) = 1
),

rows_per_document as (
    select
        manifest.*,
        count(*) over same_document as n_lines,
        min(manifest_line) over same_document as first_line,
        string_agg(cast(manifest_line as varchar), ', ') over same_document as lines,
        count(distinct md5(concat_ws('|', coalesce(issuer_name, ''), coalesce(issuer_code_printed, ''),
            coalesce(doc_kind_printed, ''), coalesce(fiscal_year_printed, ''), coalesce(title, ''),
            coalesce(publisher, ''), coalesce(retrieved_on_printed, ''), coalesce(source_url, ''))))
            over same_document as n_versions
    from manifest
    window same_document as (partition by doc_id)
),

checked as (
    select
        m.*,
        named.issuer_name as code_issuer_name,
        case when named.issuer_code is not null
            and (m.issuer_name is null
                 or {{ name_key('m.issuer_name') }} in (named.full_name_key, named.short_name_key))
            then named.issuer_code
        end as issuer_code,
        case
            when m.issuer_code_printed is null then null
            when not regexp_full_match(m.issuer_code_printed, '[0-9]{5,6}')
                then 'issuer_code ' || m.issuer_code_printed || ' is not a 全国地方公共団体コード (6 digits)'
            when codes.n_candidates = 0
                then 'issuer_code ' || m.issuer_code_printed || ' is not in local_government_codes'
            when codes.n_candidates > 1
                then 'issuer_code ' || m.issuer_code_printed || ' could be ' || codes.candidates
                    || '; give all 6 digits'
            when m.issuer_name is not null
                and {{ name_key('m.issuer_name') }} not in (named.full_name_key, named.short_name_key)
                then 'issuer_code ' || m.issuer_code_printed || ' is ' || named.issuer_name
                    || ' but issuer_name is ' || m.issuer_name || '; neither is used'
        end as issuer_code_problem,
        case
            when m.file_outside_raw is not null
                then 'file ' || m.file_outside_raw || ' is not a path under raw/ (an absolute path, or one leaving '
                    || 'raw/); the line is not used'
            when m.doc_id is null then 'names no file'
            when m.n_versions > 1 then 'lines ' || m.lines || ' describe ' || m.doc_id
                || ' differently; none of them is used'
            when m.manifest_line <> m.first_line then 'repeats line ' || m.first_line
        end as repeat_problem,
        case when m.doc_kind_printed not in {{ sosei_in_list(quality_param('doc_kinds')) }}
            then 'doc_kind ' || m.doc_kind_printed || ' is not one of ' || '{{ quality_param("doc_kinds") | join(", ") }}'
        end as doc_kind_problem,
        case when m.fiscal_year_printed is not null and (
                m.fiscal_year is null or m.fiscal_year < {{ quality_param('first_fiscal_year') }}
                or m.fiscal_year > {{ current_fiscal_year() }} + {{ quality_param('target_horizon_years') }})
            then 'fiscal_year ' || m.fiscal_year_printed || ' is not a fiscal year of the grants (a Western year from '
                || {{ quality_param('first_fiscal_year') }} || ')'
        end as fiscal_year_problem,
        case when m.retrieved_on_printed is not null and m.retrieved_on is null
            then 'retrieved_on ' || m.retrieved_on_printed || ' is not a date (YYYY-MM-DD)'
        end as retrieved_on_problem,
        case when m.extra_fields is not null
            then 'fields beyond the header: ' || m.extra_fields
        end as extra_problem,
        case when m.doc_id is not null and documents.doc_id is null
            then 'no document ' || m.doc_id || ' was landed from raw/'
        end as document_problem,
        documents.inferred_fiscal_year,
        content_issuers.issuer_code as content_issuer_code,
        content_issuers.issuer_name as content_issuer_name
    from rows_per_document as m
    left join code_candidates as codes using (manifest_line)
    left join issuers as named on named.issuer_code = codes.issuer_code and codes.n_candidates = 1
    left join documents on documents.doc_id = m.doc_id
    left join content_issuers on content_issuers.doc_id = m.doc_id
),

final as (
    select
        manifest_line,
        doc_id,
        repeat_problem is null and document_problem is null as is_applied,
        issuer_name,
        issuer_code_printed,
        issuer_code,
        issuer_code_problem,
        case when doc_kind_problem is null then doc_kind_printed end as doc_kind,
        case when fiscal_year_problem is null then fiscal_year end as fiscal_year,
        title,
        publisher,
        case when retrieved_on_problem is null then retrieved_on end as retrieved_on,
        source_url,
        nullif(concat_ws('; ',
            repeat_problem,
            document_problem,
            doc_kind_problem,
            fiscal_year_problem,
            retrieved_on_problem,
            extra_problem,
            case when fiscal_year_problem is null and fiscal_year <> inferred_fiscal_year
                then 'fiscal_year ' || fiscal_year || ' but the document states FY' || inferred_fiscal_year
                    || '; the manifest''s year is used'
            end,
            case when issuer_code is not null and content_issuer_code <> issuer_code
                then 'issuer ' || code_issuer_name || ' but the document names ' || content_issuer_name
                    || '; the manifest''s issuer is used'
            end
        ), '') as problems
    from checked
)

select * from final
