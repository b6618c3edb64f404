import EvidenceImport

/// The SMS Backup & Restore reader over one file: XMLByteScanner, the entity and base64 decoding of values,
/// SMSBackupMapping (sms, mms with parts and addresses, calls).
enum SMSBackupHarness {
  static func run(_ bytes: UnsafeRawBufferPointer) {
    let url = FuzzInput.file(bytes, named: "sms-fuzz.xml")
    try? SMSBackupReader(url: url).read { _ in }
  }
}
