{{ config(**rebuilt_per_document('issuer_key')) }}

{#- Which KPI each observation is about, across documents and years of the same issuer.

    A KPI is (issuer, project key, KPI key). The project key is the printed project name
    without its trailing department bracket (（スポーツ推進課）, 【農林水産部】), width-folded and
    without spaces; the KPI key is the KPI name likewise. The rule that joined the printings and
    its confidence are recorded. A KPI name that the same issuer prints under different projects
    in reports that never print those projects together, the two projects sharing most of
    their KPI names, may be a renamed project: those are not merged, they are flagged for review. An unresolved issuer keys on its document, so nothing is linked across
    documents whose government is unknown.

    Names are read as corrected (int_kpi_observations__corrected): a correction of a KPI's or a
    project's name links the observation as the corrected name does.

    Everything here is decided within one issuer_key, so the model is rebuilt per issuer: the
    issuers of new, changed and removed documents (macros/incremental.sql). -#}

with observations as (
    select * from {{ ref('int_kpi_observations__corrected') }}
    where {{ rebuilt_rows_only('doc_id', 'issuer_key') }}
),

documents as (
    select * from {{ ref('int_documents__issuer_resolved') }}
),

-- names repeat across observations and years: normalise each distinct printing once (a
-- missing name keys as the empty name, so the row keeps a KPI rather than vanishing)
project_printings as (
    select
        printed_name,
        {{ strip_department('printed_name') }} as project_name,
        {{ extract_department('printed_name') }} as department,
        {{ name_key('printed_name') }} as printed_project_key,
        {{ project_key('printed_name') }} as project_key
    from (select distinct coalesce(project_name_printed, '') as printed_name from observations)
),

kpi_printings as (
    select printed_name, {{ name_key('printed_name') }} as kpi_key
    from (select distinct coalesce(kpi_name_printed, '') as printed_name from observations)
),

keyed as (
    select
        observations.observation_id,
        observations.doc_id,
        documents.issuer_code,
        documents.issuer_key,
        observations.project_name_printed,
        project_printings.project_name,
        project_printings.department,
        project_printings.printed_project_key,
        project_printings.project_key,
        observations.kpi_name_printed,
        kpi_printings.kpi_key
    from observations
    left join documents using (doc_id)
    inner join project_printings
        on project_printings.printed_name = coalesce(observations.project_name_printed, '')
    inner join kpi_printings
        on kpi_printings.printed_name = coalesce(observations.kpi_name_printed, '')
),

with_ids as (
    select
        *,
        md5(issuer_key || '|' || project_key) as project_id,
        md5(issuer_key || '|' || project_key || '|' || kpi_key) as kpi_id
    from keyed
),

kpi_links as (
    select
        kpi_id,
        count(distinct printed_project_key) as n_project_printings,
        count(distinct doc_id) as n_documents
    from with_ids
    group by kpi_id
),

-- Two projects of one issuer look like one renamed project when no report prints them side by
-- side (two projects in one report are two projects) and they share at least half the KPI
-- names of the smaller one (a rename keeps its KPIs; one common name such as 参加者数 does not).
-- Pairs are never enumerated within a report (a report of 24,000 projects would make 576
-- million): a project printed in every report of its issuer has no partner, and the others are
-- paired only when their reports are disjoint, so the work grows with the pairs that could be
-- renames, not with the square of the projects per report.
project_documents as (
    select issuer_key, project_key, list(distinct doc_id order by doc_id) as doc_ids
    from with_ids
    group by issuer_key, project_key
),

issuer_documents as (
    select issuer_key, count(distinct doc_id) as n_documents from with_ids group by issuer_key
),

kpi_projects as (
    select distinct issuer_key, kpi_key, project_key from with_ids
),

project_sizes as (
    select issuer_key, project_key, count(*) as n_kpis from kpi_projects group by issuer_key, project_key
),

-- projects that some project of their issuer is never printed with
pairable_kpis as (
    select kpi_projects.*, project_documents.doc_ids
    from kpi_projects
    inner join project_documents using (issuer_key, project_key)
    inner join issuer_documents using (issuer_key)
    where len(project_documents.doc_ids) < issuer_documents.n_documents
),

shared_kpi_names as (
    select this.issuer_key, this.kpi_key, this.project_key as project_a, other.project_key as project_b
    from pairable_kpis as this
    inner join pairable_kpis as other
        on this.issuer_key = other.issuer_key
        and this.kpi_key = other.kpi_key
        and this.project_key < other.project_key
    where not list_has_any(this.doc_ids, other.doc_ids)
),

rename_candidates as (
    select shared.issuer_key, shared.project_a, shared.project_b
    from shared_kpi_names as shared
    inner join project_sizes as size_a
        on size_a.issuer_key = shared.issuer_key and size_a.project_key = shared.project_a
    inner join project_sizes as size_b
        on size_b.issuer_key = shared.issuer_key and size_b.project_key = shared.project_b
    group by shared.issuer_key, shared.project_a, shared.project_b, size_a.n_kpis, size_b.n_kpis
    having count(*) * 2 >= least(size_a.n_kpis, size_b.n_kpis)
),

possible_renames as (
    select distinct shared.issuer_key, shared.kpi_key, side.project_key
    from shared_kpi_names as shared
    inner join rename_candidates using (issuer_key, project_a, project_b)
    cross join lateral (select shared.project_a as project_key union all select shared.project_b) as side
),

final as (
    select
        with_ids.observation_id,
        with_ids.doc_id,
        with_ids.kpi_id,
        with_ids.project_id,
        with_ids.issuer_code,
        with_ids.issuer_key,
        with_ids.project_key,
        with_ids.kpi_key,
        with_ids.project_name_printed,
        with_ids.project_name,
        with_ids.department,
        with_ids.kpi_name_printed,
        case
            when kpi_links.n_project_printings = 1 then 'exact_name'
            else 'name_without_department'
        end as link_rule,
        cast(case when kpi_links.n_project_printings = 1 then 1.0 else 0.9 end as double) as link_confidence,
        kpi_links.n_documents as n_documents_linked,
        possible_renames.project_key is not null as is_link_uncertain
    from with_ids
    inner join kpi_links using (kpi_id)
    left join possible_renames using (issuer_key, kpi_key, project_key)
)

select * from final
