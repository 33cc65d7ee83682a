"""Working days: office overrides, chinese_calendar, and the State Council's holiday notice."""
