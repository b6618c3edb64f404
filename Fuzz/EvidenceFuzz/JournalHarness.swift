@testable import EvidenceVault

/// The journal frame reader over one journal.log, decrypting with a fixed key (`Seeds.journalKey`) so that frames
/// the fuzzer keeps from the seeds authenticate and it gets past the length, sequence and chain handling. A journal
/// that starts with the version 2 magic is read as version 2, any other as version 1, as the header would say.
/// Each record read is decoded too.
enum JournalHarness {
  static func run(_ bytes: UnsafeRawBufferPointer) {
    let version: JournalFormat.Version = bytes.starts(with: JournalFormat.magicV2) ? .v2 : .v1
    var source = JournalBuffer(bytes: Array(bytes), startOffset: 0)
    var reader = JournalReader(vaultId: Seeds.journalVaultId, version: version)
    let key = Seeds.journalKey()
    reader.read(&source, from: JournalFormat.firstFrameOffset(version), key: key)
    for record in reader.records { _ = try? RecordCodec.decode(record.bytes) }
  }
}
