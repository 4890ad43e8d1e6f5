"""Dossier indicators per unit × period (docs/specs/dossier-exchange.md): the definitions, shared by
every engine, and the file mode over CSV files (`cchc indicators compute`)."""
