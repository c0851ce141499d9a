{#
    The pseudonymous key of a child in analyst-facing marts (input contract §11.3): a keyed hash of the LA and the
    LA child id, so analysts can count and join children without seeing the case-system id. The key comes from the
    environment (CSC_PSEUDONYM_KEY), never from the repository; the default is for synthetic data only. Changing
    the key changes every pseudonym, so an organisation sets it once. md5 exists on DuckDB and PostgreSQL alike.
#}

{% macro pseudonymous_key(la_code, child_id) -%}
    md5(
        '{{ env_var("CSC_PSEUDONYM_KEY", "csc-warehouse-synthetic-data-only") }}'
        || '|' || {{ la_code }} || '|' || {{ child_id }}
    )
{%- endmacro %}
