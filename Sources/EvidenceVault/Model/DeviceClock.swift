import Foundation

/// Where "now" comes from: the device clock, which stamps every record's `recordedAt` and decides what "today",
/// "igår" and "in the future" mean.
///
/// Tests must not depend on the hour they run at, so a debug build (the one the tests drive) reads a fixed
/// instant from `EVIDENCE_TEST_NOW` (RFC 3339, e.g. `2026-11-30T11:00:00Z`) when it is set. A release build never
/// reads it: the program people use always takes the device clock.
public enum DeviceClock {
  /// The environment variable a debug build reads its fixed "now" from.
  public static let testVariable = "EVIDENCE_TEST_NOW"

  /// The clock of this process, resolved once from its environment.
  public static let current: @Sendable () -> Date = resolve()

  /// The time now, by `current`.
  public static var now: Date { current() }

  /// The clock to use: the fixed instant of `EVIDENCE_TEST_NOW` in a debug build where it is set and valid,
  /// else the device clock.
  public static func resolve(
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> @Sendable () -> Date {
    #if DEBUG
      if let text = environment[testVariable], let fixed = WhenFormatter.parseRFC3339UTC(text) {
        return { fixed }
      }
    #endif
    return { Date() }
  }
}
