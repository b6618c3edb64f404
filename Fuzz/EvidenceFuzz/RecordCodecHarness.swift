@testable import EvidenceVault

/// The record decoder over one record's bytes (what a journal frame holds once decrypted). A record that decodes
/// is encoded again, and both encoders (CanonicalJSONWriter and JSONEncoder) must agree on its bytes.
enum RecordCodecHarness {
  static func run(_ bytes: UnsafeRawBufferPointer) {
    guard let record = try? RecordCodec.decode(Array(bytes)) else { return }
    if case .unknown = record { return }
    let canonical = RecordCodec.encode(record)
    precondition(
      canonical == RecordCodec.encodeWithJSONEncoder(record), "the two encoders disagree on a decoded record")
  }
}
