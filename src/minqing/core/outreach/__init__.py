"""The five-colour contact-card programmes (五彩连心卡) with enrolment and card issue, and household visits (入户走访)."""
