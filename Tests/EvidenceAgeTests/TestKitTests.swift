import EvidenceAge
import Foundation
import Testing

// testkit/ is age/testdata of https://github.com/C2SP/CCTV at commit 1e3d2860d46e94e777e1b17c7a6f2436387e3ecc,
// unchanged (the test vectors of the age authors, BSD-3-Clause, "Copyright 2019 The age Authors"). The ML-KEM
// (hybrid, AGE-SECRET-KEY-PQ-) vectors are kept but not run: this program implements X25519 and scrypt only.

/// One file of the C2SP age test kit (CCTV `age/testdata`): a few `name: value` lines, a blank line, the file.
struct TestKitVector: CustomTestStringConvertible, Sendable {
  let name: String
  let expect: String
  let payloadHash: String?
  let identities: [String]
  let passphrase: String?
  let armored: Bool
  let compressed: Bool
  let body: [UInt8]

  var testDescription: String { name }

  /// Vectors only for the post-quantum (ML-KEM) identities, a recipient type this program does not implement.
  var needsPostQuantumIdentity: Bool {
    passphrase == nil && !identities.isEmpty && identities.allSatisfy { $0.hasPrefix("AGE-SECRET-KEY-PQ-") }
  }

  static let folder: URL = {
    guard let url = Bundle.module.url(forResource: "testkit", withExtension: nil) else {
      fatalError("The testkit resource folder is missing from the test bundle")
    }
    return url
  }()

  static let all: [TestKitVector] = {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.sorted().compactMap { name in
      guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) else {
        return nil
      }
      return TestKitVector(name: name, file: Array(data))
    }
  }()

  init?(name: String, file: [UInt8]) {
    var fields: [(String, String)] = []
    var offset = 0
    while offset < file.count {
      guard let end = file[offset...].firstIndex(of: 0x0A) else { return nil }
      let line = String(decoding: file[offset..<end], as: UTF8.self)
      offset = end + 1
      if line.isEmpty { break }
      guard let colon = line.firstIndex(of: ":") else { return nil }
      fields.append((String(line[..<colon]), String(line[line.index(after: colon)...].dropFirst())))
    }
    func value(_ key: String) -> String? { fields.first { $0.0 == key }?.1 }
    guard let expect = value("expect") else { return nil }
    self.name = name
    self.expect = expect
    payloadHash = value("payload")
    identities = fields.filter { $0.0 == "identity" }.map(\.1)
    passphrase = value("passphrase")
    armored = value("armored") == "yes"
    compressed = value("compressed") == "zlib"
    body = Array(file[offset...])
  }
}

@Suite("The C2SP age test kit")
struct TestKitTests {
  @Test func theWholeKitIsVendored() {
    #expect(TestKitVector.all.count == 143)
    let skipped = TestKitVector.all.filter(\.needsPostQuantumIdentity).map(\.name)
    #expect(skipped.allSatisfy { $0.hasPrefix("hybrid") || $0 == "armor_hybrid" })
    #expect(skipped.count == 18)
  }

  @Test(arguments: TestKitVector.all.filter { !$0.needsPostQuantumIdentity })
  func vectorGivesTheExpectedOutcome(_ vector: TestKitVector) throws {
    let file = vector.compressed ? try Tools.zlibDecompress(vector.body) : vector.body
    var identities: [AgeIdentity] = []
    for line in vector.identities where !line.hasPrefix("AGE-SECRET-KEY-PQ-") {
      identities.append(try AgeIdentity(parsing: Array(line.utf8)))
    }
    let encoding: AgeDecryptor.Encoding = vector.armored ? .armored : .binary
    let plaintext: [UInt8]
    do {
      plaintext = try Decrypt.file(file, identities: identities, passphrase: vector.passphrase, encoding: encoding)
    } catch let failure {
      let expected: Set<AgeError.Code> =
        switch vector.expect {
        case "header failure": [.headerInvalid, .limitExceeded]
        case "HMAC failure": [.headerAuthenticationFailed]
        case "no match": [.noMatchingIdentity]
        case "payload failure": [.payloadInvalid]
        case "armor failure": [.armorInvalid]
        default: []
        }
      #expect(expected.contains(failure.code), "kit expects \(vector.expect), got \(failure.code): \(failure)")
      #expect(failure.message.hasSuffix("."))
      return
    }
    #expect(vector.expect == "success", "decrypted, but the kit expects \(vector.expect)")
    if let hash = vector.payloadHash {
      #expect(try Tools.sha256(plaintext) == hash)
    }
  }
}
