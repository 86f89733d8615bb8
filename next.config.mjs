// Same values as lib/security/headers.ts (this file cannot import TypeScript).
const PERMISSIONS_POLICY =
  "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=(), browsing-topics=(), publickey-credentials-get=(self)";
// Strict-Transport-Security depends on the runtime APP_URL: scripts/server.ts sets it.

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // Separate build folders let several stacks (e.g. parallel e2e runs) coexist.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  // forbidden() renders app/forbidden.tsx with HTTP 403 (staff pages opened by customers).
  experimental: { authInterrupts: true },
  // `npm test` type-checks the whole project with tsc first; parallel local e2e
  // builds may skip the duplicate check with SKIP_BUILD_TYPECHECK=1.
  typescript: { ignoreBuildErrors: process.env.SKIP_BUILD_TYPECHECK === "1" },
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "@react-pdf/renderer", "postgres", "dns-packet"],
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Frame-Options", value: "DENY" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "Permissions-Policy", value: PERMISSIONS_POLICY },
        ],
      },
    ];
  },
};

export default nextConfig;
