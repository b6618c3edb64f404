import EvidenceImport
import Foundation

/// Exports in the shape "SMS Backup & Restore" writes them, built in code, and helpers to read them.
enum SMSFixtures {
  /// A 1×1 PNG, small enough to write out in full.
  static let png: [UInt8] = [
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
  ]

  /// The start of a JPEG file (enough for a declared image/jpeg part).
  static let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01, 0xFF, 0xD9]

  /// 😠, U+1F620, which every emoji form in the fixture must become.
  static let angry = "\u{1F620}"

  /// The sent English SMS, with `&lt; &gt; &quot;` as the exporter writes them.
  static let englishBody = "Stop contacting me &lt;now&gt;. I told the police &quot;everything&quot;."

  /// The messages file: one message per line from line 4, so `details["line"]` is easy to predict.
  static var messages: String {
    """
    <?xml version='1.0' encoding='UTF-8' standalone='yes' ?>
    <!--File Created By SMS Backup & Restore v10.20.002 on 03/05/2025 21:14:07-->
    <smses count="14" backup_set="8d3c" backup_date="1746299647000" type="full">
      \(sms(1, address: "+46701234567", type: 1, body: "Jag vet var du bor. Akta dig &amp; din familj.", name: "Marko"))
      \(sms(2, address: "+46701234567", type: 2, body: englishBody, name: "Marko"))
      \(sms(3, address: "+46701234567", type: 1, body: "Rad ett&#10;Rad två&#10;&#10;Line four", name: "(Unknown)"))
      \(sms(4, address: "+46701234567", type: 1, body: "Du kommer ångra dig &#128544;", name: "null"))
      \(sms(5, address: "+447700900123", type: 1, body: "You will regret this \(angry)", name: "null"))
      \(sms(6, address: "+447700900123", type: 1, body: "&#55357;&#56864; Svara!", name: "null"))
      \(sms(7, address: "+447700900123", type: 1, body: "&#x1F620; &apos;now&apos;", name: "null"))
      \(sms(8, address: "+46701234567", type: 1, body: "Hej &#55357; där", name: "Marko"))
      \(sms(9, address: "+46701234567", type: 3, body: "Utkast: sluta skriva till mig", name: "Marko"))
      \(sms(10, address: "+46701234567", type: 4, body: "Outbox: leave me alone", name: "Marko"))
      \(sms(11, address: "+46701234567", type: 5, body: "Misslyckades", name: "Marko"))
      <sms address='+46701234567' date='1746200012000' type='6' body='Queued &quot;reply&quot;' contact_name='Marko' />
      <mms date="1746300000000" date_sent="1746299990" msg_box="1" address="+46701234567" contact_name="Marko" \
    sub="null" m_type="132" read="1" text_only="0" readable_date="3 maj 2025 21:20:00">
        <parts>
          <part seq="-1" ct="application/smil" name="null" cl="smil.xml" text="&lt;smil&gt;&lt;body&gt;&lt;par \
    dur=&quot;5000ms&quot;&gt;&lt;img src=&quot;IMG_0042.png&quot;/&gt;&lt;/par&gt;&lt;/body&gt;&lt;/smil&gt;" />
          <part seq="0" ct="image/png" name="IMG_0042.png" fn="null" cl="IMG_0042.png" text="null" \
    data="\(Data(png).base64EncodedString())" />
          <part seq="1" ct="text/plain" name="null" chset="106" cl="text_0.txt" \
    text="Ser du? Jag står utanför \(angry)" />
        </parts>
        <addrs>
          <addr address="+46701234567" type="137" charset="106" />
          <addr address="+46709876543" type="151" charset="106" />
          <addr address="+46705550000" type="130" charset="106" />
        </addrs>
      </mms>
      <mms date="1746300060000" date_sent="0" msg_box="2" address="+46701234567" contact_name="Marko" \
    sub="Bevis" readable_date="3 maj 2025 21:21:00">
        <parts>
          <part seq="0" ct="image/jpeg" name="null" cl="null" fn="null" data="\(Data(jpeg).base64EncodedString())" />
          <part seq="1" ct="text/plain" text="Here is the photo." />
          <part seq="2" ct="text/plain" text="Det här är bilden." />
        </parts>
        <addrs>
          <addr address="insert-address-token" type="137" charset="106" />
          <addr address="+46701234567" type="151" charset="106" />
        </addrs>
      </mms>
    </smses>

    """
  }

  /// The calls file: every call type, a withheld number and a payphone.
  static var calls: String {
    """
    <?xml version='1.0' encoding='UTF-8' standalone='yes' ?>
    <calls count="8">
      \(call(1, number: "+46701234567", type: 1, presentation: 1, name: "Marko"))
      \(call(2, number: "+46701234567", type: 2, presentation: 1, name: "Marko"))
      \(call(3, number: "+46701234567", type: 3, presentation: 1, name: "Marko"))
      \(call(4, number: "+46701234567", type: 4, presentation: 1, name: "Marko"))
      \(call(5, number: "+447700900123", type: 5, presentation: 1, name: "(Unknown)"))
      \(call(6, number: "+447700900123", type: 6, presentation: 1, name: "null"))
      \(call(7, number: "", type: 3, presentation: 2, name: "(Unknown)"))
      \(call(8, number: "+46850000000", type: 1, presentation: 4, name: "null"))
    </calls>

    """
  }

  /// One `<sms>` line; `date` is 1746200000000 + n seconds.
  static func sms(_ n: Int, address: String, type: Int, body: String, name: String) -> String {
    "<sms protocol=\"0\" address=\"\(address)\" date=\"\(1_746_200_000_000 + n * 1000)\" type=\"\(type)\" "
      + "subject=\"null\" body=\"\(body)\" toa=\"null\" sc_toa=\"null\" service_center=\"null\" read=\"1\" "
      + "status=\"-1\" locked=\"0\" date_sent=\"0\" sub_id=\"1\" readable_date=\"2 maj 2025 17:33:\(20 + n)\" "
      + "contact_name=\"\(name)\" />"
  }

  /// One `<call>` line; `date` is 1746200000000 + n minutes, `duration` is 10 × n seconds.
  static func call(_ n: Int, number: String, type: Int, presentation: Int, name: String) -> String {
    "<call number=\"\(number)\" duration=\"\(n * 10)\" date=\"\(1_746_200_000_000 + n * 60_000)\" type=\"\(type)\" "
      + "presentation=\"\(presentation)\" subscription_id=\"1\" readable_date=\"2 maj 2025 17:\(33 + n):20\" "
      + "contact_name=\"\(name)\" />"
  }

  /// A time given in milliseconds since 1970.
  static func time(_ milliseconds: Int64) -> SourceTime {
    SourceTime(instant: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
  }

  /// A new empty file in a fresh temporary folder.
  static func temporaryFile(named name: String = "sms-20250503.xml") throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("smsreader-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder.appendingPathComponent(name)
  }

  /// Writes `bytes` to a temporary file and reads every message from it.
  static func read(_ bytes: [UInt8], name: String = "sms-20250503.xml") throws -> [ImportedMessage] {
    let url = try temporaryFile(named: name)
    defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
    try Data(bytes).write(to: url)
    var messages: [ImportedMessage] = []
    try SMSBackupReader(url: url).read { messages.append($0) }
    return messages
  }

  /// Writes `text` to a temporary file and reads every message from it.
  static func read(_ text: String, name: String = "sms-20250503.xml") throws -> [ImportedMessage] {
    try read(Array(text.utf8), name: name)
  }
}
