-- Protocol 4: a claim return op carries the claim return code the counter scanned, the proof the
-- server asks before it pays. The draft keeps the code as scanned until it is accepted. Drafts and
-- queued ops from before have no code, and none can be filled in: the store never kept a signed
-- code (the scan log withholds its signature). A draft from before asks for the code to be scanned
-- again; a queued op from before is rejected `claim_code_missing` at sync without blocking the
-- queue, and lands on the attention list for a person to settle.
ALTER TABLE claim_returns ADD COLUMN return_code TEXT;
