"""What changed: schedules, baselines, change from baseline, responders, summaries, survival."""
