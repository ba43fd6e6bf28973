"""Who and when: visits, patients, cohorts and the canonical column schema."""
