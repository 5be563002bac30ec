-- Loaded by the other wrk scripts of this folder: at the end of a run, one line
-- "RESULT rps=… p50_ms=… p90_ms=… p99_ms=… requests=… errors=…" for the shell
-- scripts to read. Errors count sockets that failed and answers of 400 and above.
done = function(summary, latency, requests)
  io.write(string.format("RESULT rps=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f requests=%d errors=%d\n",
                         summary.requests / (summary.duration / 1e6),
                         latency:percentile(50) / 1000, latency:percentile(90) / 1000,
                         latency:percentile(99) / 1000, summary.requests,
                         summary.errors.status + summary.errors.connect + summary.errors.read +
                         summary.errors.write + summary.errors.timeout))
end
