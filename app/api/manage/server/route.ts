export { serverViewRoute as GET } from "@/lib/doors/manage/server";
