"""State shared between replicas (Redis, when `CITEBOT_REDIS_URL` is set) and what stands in for it."""
