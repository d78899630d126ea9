"""One small widget per handover step; ``HandoverWizard`` runs them from the core's draft."""
