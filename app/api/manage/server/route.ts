export { serverViewRoute as GET } from "@/lib/servers/routes";
