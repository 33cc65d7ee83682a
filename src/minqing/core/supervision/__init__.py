"""Follow-up and oversight (跟踪监督): checks, spot-check draws, callbacks, the rates and the statistics."""
