{#- Each government of the 全国地方公共団体コード seed with the keys its name is matched by:
    the full name (prefecture + city) and the short one (the city, or the prefecture itself). -#}

with codes as (
    select * from {{ ref('local_government_codes') }}
),

final as (
    select
        code as issuer_code,
        coalesce(nullif(city, ''), prefecture) as issuer_name,
        {{ name_key("prefecture || coalesce(city, '')") }} as full_name_key,
        {{ name_key("coalesce(nullif(city, ''), prefecture)") }} as short_name_key
    from codes
)

select * from final
