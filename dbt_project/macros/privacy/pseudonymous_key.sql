{#
    The pseudonymous key of a child (or worker, or item) in analyst-facing marts (input contract §11.3): a keyed
    hash of the LA and the LA's own id, so analysts can count and join children without seeing the case-system id.

    * Keyed: the secret comes from the environment (CSC_PSEUDONYM_KEY), never from the repository. The default
      below is for synthetic data and tests only (README, docs/analysts.md "Privacy"); an organisation sets its own
      key once and keeps it, since changing it changes every pseudonym. Without the key, a pseudonym cannot be
      recomputed from a guessed id; with it, it can: the key is as sensitive as the restricted layer and lives
      only in the pipeline's environment (or its Airflow connection/variables), never in a mart or a docs page.
    * Stable across runs: md5 of the same key, la_code and id gives the same 32 hex characters on DuckDB and
      PostgreSQL (md5 exists on both; the unit tests pin md5('unit|<la>|<id>') values), whatever the reporting date.
    * Different between organisations: la_code is part of the hashed text, so the same id in two organisations
      gives two unrelated keys.
    The key is rendered into the compiled SQL, so dbt's target/ and log folders are as restricted as the key; the
    analysts' docs site is generated without compiled SQL (pipeline/analyst_copy.py). A quote in the key is escaped.
#}

{% macro pseudonymous_key(la_code, child_id) -%}
    md5(
        '{{ env_var("CSC_PSEUDONYM_KEY", "csc-warehouse-synthetic-data-only") | replace("'", "''") }}'
        || '|' || {{ la_code }} || '|' || {{ child_id }}
    )
{%- endmacro %}
