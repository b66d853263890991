import { describe, expect, it } from "vitest";
import { Syscon, type SysconRequest } from "../../host/devices/syscon.js";

function setup() {
  const requests: SysconRequest[] = [];
  return { syscon: new Syscon((r) => requests.push(r)), requests };
}

describe("sifive_test syscon", () => {
  it("0x5555 powers off with exit code 0", () => {
    const { syscon, requests } = setup();
    expect(syscon.write(0, 4, 0x5555n)).toBe(true);
    expect(requests).toEqual([{ kind: "poweroff", exitCode: 0 }]);
  });

  it("0x3333 | code << 16 powers off with that code", () => {
    const { syscon, requests } = setup();
    syscon.write(0, 4, (7n << 16n) | 0x3333n);
    syscon.write(0, 4, (0xffffn << 16n) | 0x3333n);
    expect(requests).toEqual([{ kind: "poweroff", exitCode: 7 }, { kind: "poweroff", exitCode: 0xffff }]);
  });

  it("0x7777 requests a reset", () => {
    const { syscon, requests } = setup();
    syscon.write(0, 4, 0x7777n);
    expect(requests).toEqual([{ kind: "reset" }]);
    expect(syscon.lastRequest).toEqual({ kind: "reset" });
  });

  it("ignores other values and other offsets", () => {
    const { syscon, requests } = setup();
    syscon.write(0, 4, 0x1234n);
    syscon.write(0, 4, 0x5556n);
    syscon.write(4, 4, 0x5555n);
    expect(requests).toEqual([]);
  });

  it("accepts 2- and 8-byte writes (low 32 bits) and rejects byte accesses", () => {
    const { syscon, requests } = setup();
    expect(syscon.write(0, 2, 0x5555n)).toBe(true);
    expect(syscon.write(0, 8, (0xdeadn << 32n) | (3n << 16n) | 0x3333n)).toBe(true);
    expect(syscon.write(0, 1, 0x55n)).toBe(false);
    expect(syscon.read(0, 1)).toBeUndefined();
    expect(requests).toEqual([{ kind: "poweroff", exitCode: 0 }, { kind: "poweroff", exitCode: 3 }]);
  });

  it("reads as zero", () => {
    expect(setup().syscon.read(0, 4)).toBe(0n);
  });
});
