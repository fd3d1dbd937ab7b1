"""The kit every outbound protocol uses: request objects, signing, sealed credentials, rate limits, safe targets."""
