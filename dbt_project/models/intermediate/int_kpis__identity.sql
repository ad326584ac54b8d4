{#- Which KPI each observation is about, across documents and years of the same issuer.

    A KPI is (issuer, project key, KPI key). The project key is the printed project name
    without its trailing department bracket (（スポーツ推進課）, 【農林水産部】), width-folded and
    without spaces; the KPI key is the KPI name likewise. The rule that joined the printings and
    its confidence are recorded. A KPI name that the same issuer prints under different projects
    in different documents may be a renamed project: those are not merged, they are flagged
    for review. An unresolved issuer keys on its document, so nothing is linked across
    documents whose government is unknown. -#}

with observations as (
    select * from {{ ref('stg_raw__kpi_observations') }}
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

kpi_name_spread as (
    select
        issuer_key,
        kpi_key,
        count(distinct project_key) as n_projects_with_kpi_name,
        count(distinct doc_id) as n_documents_with_kpi_name
    from with_ids
    group by issuer_key, kpi_key
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
        kpi_name_spread.n_projects_with_kpi_name > 1
            and kpi_name_spread.n_documents_with_kpi_name > 1 as is_link_uncertain
    from with_ids
    inner join kpi_links using (kpi_id)
    inner join kpi_name_spread using (issuer_key, kpi_key)
)

select * from final
