"""How big things may get, in one place (the README states them; every layer reads them here).

200 options and 50 criteria hold everywhere: stored matrices, the analysis
API, ballots and imports. PROMETHEE's pairwise table grows with options² ×
criteria, so these caps also bound the cost of one public /analyze call.
"""

MAX_OPTIONS = 200
MAX_CRITERIA = 50
MAX_PARTICIPANTS = 500  # per seminar session (configurable per installation)
MAX_BODY_BYTES = 1024 * 1024  # any request body
MAX_UPLOAD_BYTES = 5 * 1024 * 1024  # an imported file
MAX_TOKEN_DAYS = 3650  # the longest an API token may live
# SMAA on /api/v1/sensitivity: samples, and samples × options × criteria (× options again for
# PROMETHEE II, whose pairwise table grows with options²) — the work of one public call.
MAX_SMAA_SAMPLES = 100_000
MAX_SMAA_WORK = 20_000_000
# ... and drawing the weights: bounds make it rejection sampling or hit-and-run, which can cost far more
# than ranking (one anonymous call took 40 s to 160 s); WeightSampler.cost counts it, about 10 ns a unit.
MAX_SMAA_SAMPLING_WORK = 150_000_000
# SMAA on a session draws a whole ballot per sample and holds the drawn score tables at once:
# samples × options × criteria numbers (32 MB), less than MAX_SMAA_WORK, which is streamed in chunks.
MAX_BALLOT_SAMPLE_NUMBERS = 4_000_000
# ... and its work: each ranking of a drawn table (× options for PROMETHEE II), done once for the
# acceptabilities and once more per option that is ever first (its confidence factor), so up to
# samples × options × criteria (× options) × (options + 1) numbers, about 8 ns each: ~2 s.
MAX_SESSION_SMAA_WORK = 250_000_000
