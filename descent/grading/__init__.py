"""Auto-grading of submitted exercise notebooks: identify, run in a sandbox, score, report."""
