import { describe, expect, it } from "vitest";
import { addDays, daysBetween, daysInclusive, formatDateDe, todayIsoDate } from "@/lib/time";

describe("calendar dates (lib/time.ts): one meaning per name", () => {
  it("daysBetween counts days elapsed: 0 on the same day, negative backwards", () => {
    expect(daysBetween("2027-01-17", "2027-01-17")).toBe(0);
    expect(daysBetween("2027-01-17", "2027-02-16")).toBe(30);
    expect(daysBetween("2027-01-17", "2027-01-10")).toBe(-7);
    expect(daysBetween("2026-03-28", "2026-03-30")).toBe(2); // across the switch to summer time
  });

  it("daysInclusive counts the days a range covers, both ends included, never below 0", () => {
    expect(daysInclusive("2026-11-01", "2026-11-30")).toBe(30);
    expect(daysInclusive("2026-11-15", "2026-11-15")).toBe(1);
    expect(daysInclusive("2026-11-16", "2026-11-15")).toBe(0);
    expect(daysInclusive("2028-02-01", "2028-02-29")).toBe(29);
  });

  it("addDays is calendar arithmetic, leap days and year ends included", () => {
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2027-03-01", -1)).toBe("2027-02-28");
    expect(() => addDays("1.3.2027", 1)).toThrow(RangeError);
  });

  it("todayIsoDate is the day in Berlin, formatDateDe the German spelling", () => {
    expect(todayIsoDate(new Date("2026-12-31T23:30:00Z"))).toBe("2027-01-01");
    expect(formatDateDe("2027-01-05")).toBe("05.01.2027");
  });
});
