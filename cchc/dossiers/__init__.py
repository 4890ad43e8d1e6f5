"""The one-stop dossier system (hồ sơ thủ tục hành chính): receipt, routing through the internal
process, pauses for supplements, apology, result, return, payments, ratings, and feedback (PAKN).
See docs/dossiers.md."""
