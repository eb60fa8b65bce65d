import type { EmulatedDriver, Fault, FaultControls } from '../reliability/processorFaults.js';
import type { TestServer, TestUser } from '../test/testServer.js';

/** How long the driver waits for one API answer: short, but not so short that a loaded machine times out a healthy call. */
export const CHECKOUT_FAULT_TIMEOUT_MS = 3_000;
/** A slow answer: longer than the driver waits. */
export const SLOW_MS = 7_000;

/** One fault at one API route during generateCheckoutSession. */
export interface CheckoutFaultCase {
  name: string;
  /** The faulted request, e.g. "POST /v1/customers". */
  route: string;
  fault: Fault;
  /** The user's first click: 200, or the error's status and processorError kind. */
  first: 200 | { status: number; kind: string };
}

/** An emulated driver whose checkout the suite can pay. */
export interface CheckoutFaultDriver extends EmulatedDriver {
  emulator: EmulatedDriver['emulator'] & { completeCheckout(sessionId: string): Promise<unknown>; idle(): Promise<void> };
}

/** What the suite gives a kit's checks: the app, the driver, the emulator's fault controls, a checkout click, a new owner. */
export interface CheckoutFaultContext<D extends CheckoutFaultDriver = CheckoutFaultDriver> {
  t: TestServer;
  driver: D;
  faults: FaultControls;
  checkout(user: TestUser, planId?: string): ReturnType<TestServer['call']>;
  newOwner(): Promise<TestUser>;
}

/**
 * What a processor folder ships for the checkout faults suite (src/reliability/checkoutFaults.test.ts):
 * as `src/payment/<name>/testing/checkoutFaultKit.ts` exporting `checkoutFaultKit`, found by glob. The
 * suite runs every case (inject, click, the user's error, nothing half-written, the retry click, pay
 * the session); the kit says what its processor must have seen and holds.
 */
export interface CheckoutFaultKit<D extends CheckoutFaultDriver = CheckoutFaultDriver, C extends CheckoutFaultCase = CheckoutFaultCase> {
  /** The processor id, which starts the user's error message. */
  id: string;
  /** Starts the processor's driver on its local emulator. */
  start(env: NodeJS.ProcessEnv, options: { timeoutMs?: number }): Promise<D>;
  cases: C[];
  /** After a failed first click: the customer id our rows may keep (one only once the processor's answer arrived). */
  customerKeptAfterFailure(c: C, ctx: CheckoutFaultContext<D>, owner: TestUser): Promise<string | null>;
  /** After the click that got 200: the requests the processor saw and the objects it holds. */
  expectAtProcessor(c: C, ctx: CheckoutFaultContext<D>, owner: TestUser, sessionId: string): Promise<void>;
  /** Checks of the processor's own beside the cases. */
  scenarios?: { name: string; run(ctx: CheckoutFaultContext<D>): Promise<void> }[];
}
