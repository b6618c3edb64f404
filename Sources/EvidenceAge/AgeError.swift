import Foundation

/// Everything that can go wrong reading or writing an age file, as one sentence a person can act on.
///
/// Messages never contain key material, passphrases or plaintext. The codes follow the classes of failure of the
/// C2SP age test kit, so that a test can check not only that a file is refused but why.
public struct AgeError: Error, Equatable, Sendable, CustomStringConvertible {
  /// What kind of failure this is, for `catch` patterns and exit codes.
  public enum Code: String, Equatable, Sendable {
    /// The header is not a well-formed age v1 header (or a stanza in it breaks its recipient type's rules).
    case headerInvalid
    /// The header is well formed but its MAC does not match: it was altered, or it is not the file key we unwrapped.
    case headerAuthenticationFailed
    /// None of the identities (or the passphrase) given opens any stanza of the header.
    case noMatchingIdentity
    /// The encrypted payload is damaged, truncated, extended or altered.
    case payloadInvalid
    /// The ASCII armor around the file is not strict PEM with canonical base64.
    case armorInvalid
    /// The header asks for more work or memory than this program allows (scrypt work factor, size, stanza count).
    case limitExceeded
    /// A recipient (`age1…`) or identity (`AGE-SECRET-KEY-1…`) is not well formed.
    case keyInvalid
    /// The recipients given cannot be used together (for example a passphrase alongside public keys), or none.
    case recipientsInvalid
    /// Reading or writing failed in the operating system.
    case fileSystem
  }

  public let code: Code
  /// One sentence: what is wrong.
  public let message: String
  /// What to do about it, where there is something useful to say.
  public let hint: String?

  public init(_ code: Code, _ message: String, hint: String? = nil) {
    self.code = code
    self.message = message
    self.hint = hint
  }

  public var description: String { message }
}

extension AgeError {
  static func header(_ what: String) -> AgeError {
    AgeError(
      .headerInvalid, "The age file's header is damaged or not an age v1 header: \(what).",
      hint: "Ask the sender for a fresh copy of the file; it was not written by a correct age program or was altered.")
  }

  static func armor(_ what: String) -> AgeError {
    AgeError(
      .armorInvalid, "The armored age file (BEGIN AGE ENCRYPTED FILE) is not strictly encoded: \(what).",
      hint: "Ask the sender for a fresh copy; armored files must be passed on unchanged, without edits or re-wrapping.")
  }

  static func payload(_ what: String) -> AgeError {
    AgeError(
      .payloadInvalid, "The encrypted content of the age file is damaged, truncated or altered: \(what).",
      hint: "Nothing that failed to authenticate was released. Ask the sender for a fresh, complete copy.")
  }

  static let headerMACMismatch = AgeError(
    .headerAuthenticationFailed,
    "The age file's header does not authenticate: it was altered after it was written.",
    hint: "Ask the sender for a fresh copy of the file.")

  static func system(_ action: String, errno code: Int32) -> AgeError {
    AgeError(.fileSystem, "Could not \(action): \(String(cString: strerror(code))).")
  }
}
