{#- Every government in the reference list (47 prefectures, 1,741 municipalities), so a BI
    tool can show governments that have not reported as well as those that have. -#}

with codes as (
    select * from {{ ref('local_government_codes') }}
),

documents as (
    select * from {{ ref('int_documents__issuer_resolved') }}
),

documents_per_issuer as (
    select issuer_code, count(*) as n_documents
    from documents
    where issuer_code is not null
    group by issuer_code
),

final as (
    select
        codes.code as issuer_code,
        coalesce(nullif(codes.city, ''), codes.prefecture) as issuer_name,
        codes.prefecture,
        left(codes.code, 2) as prefecture_code,
        case when nullif(codes.city, '') is null then 'prefecture' else 'municipality' end as issuer_kind,
        coalesce(nullif(codes.city_kana, ''), codes.prefecture_kana) as issuer_name_kana,
        coalesce(documents_per_issuer.n_documents, 0) as n_documents
    from codes
    left join documents_per_issuer on documents_per_issuer.issuer_code = codes.code
)

select * from final
