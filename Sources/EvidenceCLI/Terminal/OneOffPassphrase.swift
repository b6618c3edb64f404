import EvidenceAge
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The one-off passphrase of `export --protect`: five groups of four characters from 32 that cannot be mistaken for
/// each other when read aloud or written down (no 0/o, 1/l), 100 random bits, made and kept in guarded memory.
enum OneOffPassphrase {
  static let alphabet = Array("abcdefghijkmnpqrstuvwxyz23456789".utf8)
  static let groups = 5
  static let groupLength = 4

  /// A new passphrase, `xxxx-xxxx-xxxx-xxxx-xxxx`.
  static func generate() -> AgeSecretBytes {
    let random = AgeSecretBytes(randomByteCount: groups * groupLength)
    let passphrase = AgeSecretBytes(zeroedByteCount: groups * groupLength + groups - 1)
    random.withUnsafeBytes { source in
      passphrase.withUnsafeMutableBytes { target in
        var position = 0
        for index in 0..<source.count {
          if index > 0, index % groupLength == 0 {
            target[position] = UInt8(ascii: "-")
            position += 1
          }
          // 256 is a multiple of 32: the low five bits of a uniform byte are uniform.
          target[position] = alphabet[Int(source[index] & 31)]
          position += 1
        }
      }
    }
    return passphrase
  }

  /// Writes the passphrase and a newline straight to standard output (never through a Swift `String`).
  static func print(_ passphrase: borrowing AgeSecretBytes) {
    fflush(nil)  // everything print() buffered goes out first
    passphrase.withUnsafeBytes { bytes in
      var offset = 0
      while offset < bytes.count, let base = bytes.baseAddress {
        let written = write(1, base + offset, bytes.count - offset)
        if written <= 0 { break }
        offset += written
      }
    }
    _ = write(1, "\n", 1)
  }
}

extension OneOffPassphrase {
  /// A passphrase held by a class, so that closures can use it without copying the secret.
  final class Box {
    let secret: AgeSecretBytes
    init(_ secret: consuming AgeSecretBytes) { self.secret = secret }
  }
}
