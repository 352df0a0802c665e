"""承诺与诉求: the commitments ledger (政策兑现台账) and enterprise problems (企业诉求)."""
