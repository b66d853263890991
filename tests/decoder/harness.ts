// Test harness: exposes the decoder alone so tests do not depend on the whole core building.
export { decode, decode32 } from "../../assembly/cpu/decode";
export { decodeRvc } from "../../assembly/cpu/decode-rvc";
