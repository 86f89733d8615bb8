/** The part of autocannon's programmatic API the HTTP benchmark uses (the package ships no types). */
declare module "autocannon" {
  type Request = { headers?: Record<string, string> };
  type Options = { url: string; headers?: Record<string, string>; connections?: number; duration?: number; requests?: { setupRequest?: (req: Request) => Request }[] };
  type Histogram = { average: number; p50: number; p99: number; total: number };
  type Result = { requests: Histogram; latency: Histogram; errors: number; timeouts: number; non2xx: number; statusCodeStats?: Record<string, { count: number }> };
  export default function autocannon(options: Options): Promise<Result>;
}
