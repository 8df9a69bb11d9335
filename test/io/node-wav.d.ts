/** Local types for node-wav 0.0.2 (used by the tests only, as an independent cross-check). */
declare module 'node-wav' {
  interface Decoded {
    sampleRate: number;
    channelData: Float32Array[];
  }
  interface EncodeOptions {
    sampleRate: number;
    float?: boolean;
    bitDepth?: number;
  }
  export function decode(buffer: Uint8Array): Decoded;
  export function encode(channelData: ArrayLike<number>[], options: EncodeOptions): Buffer;
}
