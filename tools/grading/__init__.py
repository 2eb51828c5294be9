"""The class grader and what comes after it: grading submissions, the LMS upload, free-text answers."""
