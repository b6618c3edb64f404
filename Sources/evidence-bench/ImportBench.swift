import EvidenceImport
import EvidenceVault
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Importing a generated SMS backup (100,000 messages, 1,000 of them MMS with a picture) into a fresh vault,
/// in a child process so its peak memory is its own; against reading the same file alone. With `large`, 16,000
/// of 115,000 messages are MMS, and the backup is about 1 GiB: memory must stay where it was.
func runImportBench(quick: Bool, large: Bool = false, root: URL) throws {
  let smsCount = quick ? 10_000 : 99_000
  let mmsCount = quick ? 100 : large ? 16_000 : 1_000
  try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
  let backup = root.appendingPathComponent("sms-backup.xml")
  try writeBackup(backup, smsCount: smsCount, mmsCount: mmsCount)
  let size = (try? FileManager.default.attributesOfItem(atPath: backup.path)[.size] as? Int) ?? 0
  var readCount = 0
  let readTime = try fastest {
    readCount = 0
    try SMSBackupReader(url: backup).read { _ in readCount += 1 }
  }
  // Peak memory of importing nothing, in the same way: Argon2id's own 64 MiB cancels out of the difference.
  let empty = root.appendingPathComponent("empty-backup.xml")
  try writeBackup(empty, smsCount: 0, mmsCount: 0)
  let baselinePeak =
    benchRun(CommandLine.arguments[0], ["--child-import", empty.path])
    .split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }.last ?? 0
  let output = benchRun(CommandLine.arguments[0], ["--child-import", backup.path])
  let fields = output.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
  guard fields.count == 3 else {
    print("import: the child run failed: \(output)")
    return
  }
  let (added, seconds, peak) = (fields[0], fields[1], fields[2])
  print(
    String(
      format:
        "import SMS backup (%d SMS + %d MMS, %.0f MiB): %.0f messages in %.2f s = %.0f messages/s; peak RSS %.0f MiB, %.0f MiB above importing an empty backup; reading the file alone %.2f s (%.0f messages/s), so the vault's share is %.2f×",
      smsCount, mmsCount, Double(size) / 1_048_576, added, seconds, added / seconds, peak, peak - baselinePeak,
      readTime,
      Double(readCount) / readTime, seconds / readTime))
}

/// Child mode: import `file` into a fresh vault; prints "added seconds peakMiB".
func childImport(file: URL) throws {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent("evidence-bench-import-\(getpid())")
  defer { try? FileManager.default.removeItem(at: folder) }
  let vault = try Vault.create(at: folder, passphrase: passphrase(), strength: .interactive)
  var outcome: ImportOutcome?
  let time = try seconds {
    outcome = try MessageImporter.run(
      SMSBackupReader(url: file), exportFile: file, into: vault, options: ImportOptions())
  }
  print(String(format: "%d %.3f %.1f", outcome?.summary.added ?? 0, time, peakMemoryMiB()))
}

private func writeBackup(_ url: URL, smsCount: Int, mmsCount: Int) throws {
  _ = FileManager.default.createFile(atPath: url.path, contents: nil)
  let handle = try FileHandle(forWritingTo: url)
  defer { try? handle.close() }
  var text = "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<smses count=\"\(smsCount + mmsCount)\">\n"
  var picture = [UInt8](repeating: 0, count: 48_000)
  picture.replaceSubrange(0..<4, with: [0xFF, 0xD8, 0xFF, 0xE0])
  let start: Int64 = 1_764_000_000_000
  let everyMMS = max(1, (smsCount + mmsCount) / max(mmsCount, 1))
  var mmsWritten = 0
  for number in 0..<(smsCount + mmsCount) {
    let date = start + Int64(number) * 60_000
    let phone = "+4670\(String(format: "%07d", number % 500))"
    if mmsWritten < mmsCount && number % everyMMS == 0 {
      picture[10] = UInt8(truncatingIfNeeded: number)
      picture[11] = UInt8(truncatingIfNeeded: number >> 8)
      text += """
          <mms date="\(date)" date_sent="\(date / 1000)" msg_box="1" address="\(phone)" contact_name="null" sub="null" readable_date="x">
            <parts>
              <part seq="-1" ct="application/smil" name="null" text="&lt;smil&gt;&lt;/smil&gt;" />
              <part seq="0" ct="image/jpeg" name="IMG_\(number).jpg" cl="IMG_\(number).jpg" data="\(Data(picture).base64EncodedString())" />
              <part seq="0" ct="text/plain" text="Bild nummer \(number)" />
            </parts>
            <addrs><addr address="\(phone)" type="137" charset="106" /></addrs>
          </mms>

        """
      mmsWritten += 1
    } else {
      text += """
          <sms protocol="0" address="\(phone)" date="\(date)" type="\(number % 2 + 1)" subject="null" body="Meddelande \(number): du vet vad som händer om du inte betalar &amp; tiger &#55357;&#56864;" toa="null" sc_toa="null" service_center="null" read="1" status="-1" locked="0" date_sent="0" readable_date="x" contact_name="null" />

        """
    }
    if text.utf8.count > 1 << 20 {
      handle.write(Data(text.utf8))
      text = ""
    }
  }
  text += "</smses>\n"
  handle.write(Data(text.utf8))
}
