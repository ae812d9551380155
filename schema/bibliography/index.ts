export * from "./citations.ts";
export * from "./duplicates.ts";
export * from "./entries.ts";
export * from "./import.ts";
export * from "./reading.ts";
export * from "./render.ts";
export * from "./seed.ts";
export * from "./styles.ts";
