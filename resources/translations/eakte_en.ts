<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB" sourcelanguage="de_DE">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../desktop/dialogs/about.py" line="+61"/>
        <location line="+1"/>
        <source>Über E-Akte</source>
        <translation>About E-Akte</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>E-Akte für die Kommunen im Werra-Meißner-Kreis</source>
        <translation>E-Akte for the municipalities of the Werra-Meißner district</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Freie Software unter der GNU Affero General Public License, Version 3 oder später (AGPL-3.0-or-later): &lt;a href=&quot;%1&quot;&gt;Lizenztext&lt;/a&gt;</source>
        <translation>Free software under the GNU Affero General Public License, version 3 or later (AGPL-3.0-or-later): &lt;a href=&quot;%1&quot;&gt;licence text&lt;/a&gt;</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Lizenz</source>
        <translation>Licence</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Version:</source>
        <translation>Version:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Qt / PySide6:</source>
        <translation>Qt / PySide6:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PyMuPDF:</source>
        <translation>PyMuPDF:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Python:</source>
        <translation>Python:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Betriebssystem:</source>
        <translation>Operating system:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Datenbestand:</source>
        <translation>Data store:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Protokolle:</source>
        <translation>Logs:</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>&amp;Kopieren</source>
        <translation>&amp;Copy</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Angaben in die Zwischenablage kopieren</source>
        <translation>Copy the details to the clipboard</translation>
    </message>
</context>
<context>
    <name>Breadcrumb</name>
    <message>
        <location filename="../../desktop/breadcrumb.py" line="+38"/>
        <source>Aktenplaneinheit</source>
        <translation>File plan unit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Akte</source>
        <translation>File</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vorgang</source>
        <translation>Case</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dokument</source>
        <translation>Document</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Ablageort</source>
        <translation>Location</translation>
    </message>
    <message>
        <location line="+82"/>
        <source>Aktenplan</source>
        <translation>File plan</translation>
    </message>
</context>
<context>
    <name>CheckoutController</name>
    <message>
        <location filename="../../desktop/checkout.py" line="+97"/>
        <source>Mit Standardprogramm ö&amp;ffnen</source>
        <translation>O&amp;pen with default application</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Im zugehörigen Programm öffnen; Gespeichertes wird zur neuen Version.</source>
        <translation>Open in the associated application; what you save becomes a new version.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Bearbeitung beenden</source>
        <translation>&amp;Finish editing</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Änderungen &amp;verwerfen</source>
        <translation>&amp;Discard changes</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>Bearbeitung von „{title}“ beendet.</source>
        <translation>Finished editing “{title}”.</translation>
    </message>
    <message>
        <location line="+13"/>
        <location line="+11"/>
        <source>Änderungen verwerfen</source>
        <translation>Discard changes</translation>
    </message>
    <message>
        <location line="-9"/>
        <source>Die Arbeitskopie von „{title}“ wird gelöscht. Änderungen, die noch nicht als neue Version gespeichert sind, gehen verloren; gespeicherte Versionen bleiben erhalten.</source>
        <translation>The working copy of “{title}” will be deleted. Changes not yet saved as a new version will be lost; saved versions are kept.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Änderungen verwerfen?</source>
        <translation>Discard changes?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Verwerfen</source>
        <translation>&amp;Discard</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>„{name}“ ist abgeschlossen oder gelöscht und wurde schreibgeschützt geöffnet; Änderungen daran werden nicht übernommen.</source>
        <translation>“{name}” is closed or deleted and was opened read-only; changes to it will not be kept.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>„{title}“ ist zur Bearbeitung geöffnet; Gespeichertes wird übernommen.</source>
        <translation>“{title}” is open for editing; what you save will be kept.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Kein passendes Programm</source>
        <translation>No suitable application</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Für Dateien vom Typ „{kind}“ ist auf diesem Rechner kein Programm eingerichtet. Bitte die IT bitten, ein passendes Programm zu installieren.</source>
        <translation>No application is set up on this computer for files of type “{kind}”. Please ask IT to install a suitable application.</translation>
    </message>
    <message>
        <location line="+97"/>
        <source>Neue Version {number} von „{title}“ gespeichert.</source>
        <translation>New version {number} of “{title}” saved.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Arbeitskopie von „{title}“ verworfen.</source>
        <translation>Working copy of “{title}” discarded.</translation>
    </message>
</context>
<context>
    <name>CloseRecord</name>
    <message>
        <location filename="../../desktop/dialogs/close_record.py" line="+59"/>
        <source>Akte abschließen (zdA)</source>
        <translation>Close file (zdA)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Die Akte „%1“ zu den Akten legen?</source>
        <translation>Close the file “%1” (zdA)?</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Danach können weder die Akte noch ihre Vorgänge und Dokumente geändert werden, und es können keine Dokumente mehr abgelegt werden. Alle offenen Vorgänge der Akte werden mit abgeschlossen. Die Aufbewahrungsfrist beginnt.</source>
        <translation>Afterwards neither the file nor its cases and documents can be changed, and no more documents can be filed in it. All open cases of the file are closed with it. The retention period begins.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Vorgang abschließen (zdA)</source>
        <translation>Close case (zdA)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Den Vorgang „%1“ zu den Akten legen?</source>
        <translation>Close the case “%1” (zdA)?</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Danach können weder der Vorgang noch seine Dokumente geändert werden, und es können keine Dokumente mehr abgelegt werden.</source>
        <translation>Afterwards neither the case nor its documents can be changed, and no more documents can be filed in it.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>&amp;Abschließen</source>
        <translation>C&amp;lose</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Akte wieder öffnen</source>
        <translation>Reopen file</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Die Akte „%1“ wieder öffnen?</source>
        <translation>Reopen the file “%1”?</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Die Akte kann danach wieder geändert werden; ihre Vorgänge bleiben abgeschlossen, bis sie einzeln wieder geöffnet werden. Das Wiederöffnen ist Aufgabe der Registratur und wird im Verlauf der Akte vermerkt.</source>
        <translation>The file can then be changed again; its cases stay closed until they are reopened one by one. Reopening is the registry&apos;s task and is recorded in the file&apos;s history.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Vorgang wieder öffnen</source>
        <translation>Reopen case</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Den Vorgang „%1“ wieder öffnen?</source>
        <translation>Reopen the case “%1”?</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Der Vorgang kann danach wieder geändert werden. Das Wiederöffnen ist Aufgabe der Registratur und wird im Verlauf des Vorgangs vermerkt.</source>
        <translation>The case can then be changed again. Reopening is the registry&apos;s task and is recorded in the case&apos;s history.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>&amp;Wieder öffnen</source>
        <translation>&amp;Reopen</translation>
    </message>
</context>
<context>
    <name>ConflictDialog</name>
    <message>
        <location filename="../../desktop/dialogs/conflicts.py" line="+137"/>
        <source>Konflikte</source>
        <translation>Conflicts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Konflikte klären</source>
        <translation>Resolve conflicts</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Diese Einträge wurden hier und auf dem Server gleichzeitig geändert. Bitte entscheiden Sie, welche Fassung gilt; es geht nichts verloren.</source>
        <translation>These entries were changed here and on the server at the same time. Please decide which version applies; nothing is lost.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Offene Konflikte</source>
        <translation>Open conflicts</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Keine Konflikte zu klären.</source>
        <translation>No conflicts to resolve.</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Meine Fassung (dieser PC)</source>
        <translation>My version (this PC)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Andere Fassung (Server)</source>
        <translation>Other version (server)</translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+21"/>
        <source>&amp;Meine behalten</source>
        <translation>Keep &amp;mine</translation>
    </message>
    <message>
        <location line="-20"/>
        <location line="+21"/>
        <source>&amp;Andere behalten</source>
        <translation>Keep &amp;other</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>Meine Fassung (parallel bearbeitet)</source>
        <translation>My version (edited in parallel)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Andere Fassung</source>
        <translation>Other version</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Beide behalten</source>
        <translation>Keep &amp;both</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>%1 „%2“: %3</source>
        <translation>%1 “%2”: %3</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Dokument „%1“: Inhalt</source>
        <translation>Document “%1”: content</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Feld „%1“ von %2 „%3“</source>
        <translation>Field “%1” of %2 “%3”</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Andere Fassung (von %1)</source>
        <translation>Other version (by %1)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Dokument „%1“ wurde hier und anderswo gleichzeitig bearbeitet.</source>
        <translation>Document “%1” was edited here and elsewhere at the same time.</translation>
    </message>
</context>
<context>
    <name>Conflicts</name>
    <message>
        <location line="-218"/>
        <source>(leer)</source>
        <translation>(empty)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>ja</source>
        <translation>yes</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>nein</source>
        <translation>no</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Aktenplaneinheit</source>
        <translation>File plan unit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Akte</source>
        <translation>File</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vorgang</source>
        <translation>Case</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dokument</source>
        <translation>Document</translation>
    </message>
</context>
<context>
    <name>CrashReportBox</name>
    <message>
        <location filename="../../desktop/crash_dialog.py" line="+21"/>
        <source>Unerwartet beendet</source>
        <translation>Unexpectedly closed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>E-Akte wurde beim letzten Mal unerwartet beendet.</source>
        <translation>E-Akte closed unexpectedly the last time.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ein Bericht darüber liegt in %1. Wenn Sie ihn der IT schicken, hilft das, den Fehler zu finden. Er enthält keine Dokumentinhalte.</source>
        <translation>A report is in %1. Sending it to IT helps to find the fault. It contains no document contents.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Bericht &amp;öffnen</source>
        <translation>&amp;Open report</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Ordner öffnen</source>
        <translation>Open &amp;folder</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Schließen</source>
        <translation>&amp;Close</translation>
    </message>
</context>
<context>
    <name>DeleteRecord</name>
    <message>
        <location filename="../../desktop/dialogs/delete_record.py" line="+54"/>
        <source>Die Akte „%1“ in den Papierkorb legen?</source>
        <translation>Move the file “%1” to the recycle bin?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Die Akte verschwindet mit ihren Vorgängen und Dokumenten aus dem Aktenplan. Über „Papierkorb“ lässt sie sich mit allem Inhalt wiederherstellen.</source>
        <translation>The file disappears from the file plan with its cases and documents. It can be restored with all its contents from the “Recycle bin”.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Den Vorgang „%1“ in den Papierkorb legen?</source>
        <translation>Move the case “%1” to the recycle bin?</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Der Vorgang verschwindet mit seinen Dokumenten aus der Akte. Über „Papierkorb“ lässt er sich mit allem Inhalt wiederherstellen.</source>
        <translation>The case disappears from the file with its documents. It can be restored with all its contents from the “Recycle bin”.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Das Dokument „%1“ in den Papierkorb legen?</source>
        <translation>Move the document “%1” to the recycle bin?</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Über „Papierkorb“ lässt es sich wiederherstellen.</source>
        <translation>It can be restored from the “Recycle bin”.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>In den Papierkorb</source>
        <translation>Recycle bin</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>In den &amp;Papierkorb</source>
        <translation>Move to recycle &amp;bin</translation>
    </message>
</context>
<context>
    <name>DemoServer</name>
    <message>
        <location filename="../../desktop/demo_session.py" line="+77"/>
        <source>eingebauter Demo-Server</source>
        <translation>built-in demo server</translation>
    </message>
</context>
<context>
    <name>DetailsPanel</name>
    <message>
        <location filename="../../desktop/details_panel.py" line="+14"/>
        <source>Aktenplan</source>
        <translation>File plan</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Aktenplaneinheit</source>
        <translation>File plan unit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Akte</source>
        <translation>File</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vorgang</source>
        <translation>Case</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dokument</source>
        <translation>Document</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Eigenschaften</source>
        <translation>Properties</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Art:</source>
        <translation>Kind:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bezeichnung:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Aktenzeichen:</source>
        <translation>File reference:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status:</source>
        <translation>Status:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Synchronisierung:</source>
        <translation>Synchronisation:</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>abgeschlossen (zdA)</source>
        <translation>closed (zdA)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>offen</source>
        <translation>open</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Änderung wartet auf Übertragung</source>
        <translation>Change waiting to be transferred</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>keine lokalen Änderungen offen</source>
        <translation>no pending local changes</translation>
    </message>
</context>
<context>
    <name>DocumentBadges</name>
    <message>
        <location filename="../../desktop/documents/badges.py" line="+33"/>
        <source>PDF</source>
        <translation>PDF</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bild</source>
        <translation>Image</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>E-Mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Office-Dokument</source>
        <translation>Office document</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Text</source>
        <translation>Text</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sonstiges</source>
        <translation>Other</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Konflikt: eine parallele Änderung wartet auf Klärung</source>
        <translation>Conflict: a parallel change needs to be resolved</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Noch nicht mit dem Server abgeglichen</source>
        <translation>Not yet synchronised with the server</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Offline verfügbar</source>
        <translation>Available offline</translation>
    </message>
</context>
<context>
    <name>DocumentListModel</name>
    <message>
        <location filename="../../desktop/documents/list_model.py" line="+229"/>
        <source>keine Hinweise</source>
        <translation>no notes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>keine Angabe</source>
        <translation>not specified</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>direkt in der Akte abgelegt</source>
        <translation>filed directly in the file</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Posteingangsdatum</source>
        <translation>Date received</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Titel</source>
        <translation>Title</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Typ</source>
        <translation>Type</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Eingang</source>
        <translation>Received</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Absender</source>
        <translation>Sender</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vorgang</source>
        <translation>Case</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seiten</source>
        <translation>Pages</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
</context>
<context>
    <name>DocumentListView</name>
    <message>
        <location filename="../../desktop/documents/list_view.py" line="+69"/>
        <source>Dokumente</source>
        <translation>Documents</translation>
    </message>
    <message>
        <location line="+202"/>
        <source>Bitte im Aktenplan eine Akte oder einen Vorgang wählen.</source>
        <translation>Please choose a file or a case in the file plan.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Dokumente werden geladen …</source>
        <translation>Loading documents …</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keine Dokumente</source>
        <translation>No documents</translation>
    </message>
</context>
<context>
    <name>DocumentViewer</name>
    <message>
        <location filename="../../desktop/viewer/widget.py" line="+87"/>
        <location line="+268"/>
        <source>Dokumentansicht</source>
        <extracomment>Attachment types this viewer shows itself; others go to the default application.</extracomment>
        <translation>Document view</translation>
    </message>
    <message>
        <location line="-215"/>
        <source>Kein Dokument ausgewählt</source>
        <translation>No document selected</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Dokument wird geladen …</source>
        <translation>Loading document …</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Keine Vorschau</source>
        <translation>No preview</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Für diese Art von Datei gibt es hier keine Vorschau. Bitte mit der Standardanwendung öffnen.</source>
        <translation>There is no preview for this kind of file here. Please open it with the default application.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Wird geladen …</source>
        <translation>Loading …</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>„%1“ wird vom Server geladen (%2).</source>
        <translation>“%1” is being loaded from the server (%2).</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Nicht auf diesem PC gespeichert</source>
        <translation>Not stored on this PC</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Dieses Dokument ist nicht auf diesem PC gespeichert und der Server ist nicht erreichbar. Markieren Sie die Akte als „Offline verfügbar“, um sie unterwegs zu lesen.</source>
        <translation>This document is not stored on this PC and the server cannot be reached. Mark the file as “Available offline” to read it on the road.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Dokument kann nicht geladen werden</source>
        <translation>Document cannot be loaded</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Beim Laden vom Server ist ein Fehler aufgetreten. Bitte erneut versuchen; bleibt der Fehler, bitte die IT verständigen.</source>
        <translation>An error occurred while loading from the server. Please try again; if the error persists, please contact IT.</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Dokument kann nicht angezeigt werden</source>
        <translation>The document cannot be shown</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Beim Laden ist ein Fehler aufgetreten. Bitte erneut versuchen; bleibt der Fehler, bitte die IT verständigen.</source>
        <translation>An error occurred while loading. Please try again; if the error persists, please contact IT.</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Werkzeugleiste der Dokumentansicht</source>
        <translation>Document view toolbar</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Seitenzahl</source>
        <translation>Page number</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seite </source>
        <translation>Page </translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Zoomstufe</source>
        <translation>Zoom level</translation>
    </message>
    <message>
        <location line="+63"/>
        <source>Seite –</source>
        <translation>Page –</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> von %1</source>
        <translation> of %1</translation>
    </message>
    <message>
        <location filename="../../desktop/viewer/messages.py" line="+11"/>
        <source>Datei beschädigt</source>
        <translation>File damaged</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Die Datei ist beschädigt und kann hier nicht angezeigt werden. Bitte mit der Standardanwendung versuchen oder beim Absender eine neue Fassung anfordern.</source>
        <translation>The file is damaged and cannot be shown here. Please try the default application or ask the sender for a new copy.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Kennwortgeschützt</source>
        <translation>Password-protected</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Das Dokument ist mit einem Kennwort geschützt und kann hier nicht angezeigt werden. Bitte mit der Standardanwendung öffnen und dort das Kennwort eingeben, oder beim Absender eine ungeschützte Fassung anfordern.</source>
        <translation>The document is protected by a password and cannot be shown here. Please open it with the default application and enter the password there, or ask the sender for an unprotected copy.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Datei nicht vorhanden</source>
        <translation>File not available</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Die Datei zu diesem Dokument ist auf diesem Rechner nicht vorhanden. Sie wird bei der nächsten Synchronisierung geladen; bitte das Dokument dann erneut öffnen.</source>
        <translation>The file of this document is not on this computer. It will be loaded at the next synchronisation; please open the document again then.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Darstellung abgebrochen</source>
        <translation>Rendering stopped</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Beim Darstellen dieses Dokuments ist die Anzeige abgestürzt; die Datei ist vermutlich beschädigt. Bitte mit der Standardanwendung öffnen oder beim Absender eine neue Fassung anfordern.</source>
        <translation>The viewer crashed while rendering this document; the file is probably damaged. Please open it with the default application or ask the sender for a new copy.</translation>
    </message>
</context>
<context>
    <name>DragOut</name>
    <message>
        <location filename="../../desktop/dropping/drag_out.py" line="+111"/>
        <source>Die Datei ist auf diesem Rechner nicht vorhanden. Bitte die Synchronisierung starten und erneut ziehen.</source>
        <translation>The file is not on this computer. Please start synchronisation and drag again.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Die gespeicherte Datei ist beschädigt (Prüfsumme stimmt nicht) und wird nicht herausgegeben. Bitte die Synchronisierung starten, um sie neu zu laden.</source>
        <translation>The stored file is damaged (its checksum does not match) and is not handed out. Please start synchronisation to load it again.</translation>
    </message>
</context>
<context>
    <name>DropController</name>
    <message>
        <location filename="../../desktop/dropping/controller.py" line="+82"/>
        <source>Bitte auf eine Akte oder einen Vorgang ziehen.</source>
        <translation>Please drag onto a file or a case.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>„{target}“ liegt im Papierkorb; dort kann nichts abgelegt werden.</source>
        <translation>“{target}” is in the recycle bin; nothing can be filed there.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>„{target}“ ist zu den Akten gelegt (zdA): dort kann nichts abgelegt oder hineinverschoben werden. Bitte einen offenen Vorgang wählen oder die Registratur bitten, ihn wieder zu öffnen.</source>
        <translation>“{target}” is closed (zdA): nothing can be filed or moved into it. Please choose an open case or ask the registry to reopen it.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Das Gezogene enthält keine Dateien oder E-Mails, die abgelegt werden können.</source>
        <translation>What was dragged contains no files or e-mails that can be filed.</translation>
    </message>
    <message>
        <location line="+38"/>
        <location line="+13"/>
        <source>Ablage nicht möglich</source>
        <translation>Cannot file</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Das Gezogene enthält nichts, was abgelegt werden kann.</source>
        <translation>What was dragged contains nothing that can be filed.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Dokumente werden in „{target}“ abgelegt …</source>
        <translation>Filing documents in “{target}” …</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Nichts abgelegt: keine Dateien gefunden.</source>
        <translation>Nothing filed: no files found.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Ablage unterbrochen</source>
        <translation>Filing interrupted</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Die Dokumente liegen bereits in „{target}“.</source>
        <translation>The documents are already in “{target}”.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Das Dokument nach „{target}“ verschieben?</source>
        <translation>Move the document to “{target}”?</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{count} Dokumente nach „{target}“ verschieben?</source>
        <translation>Move {count} documents to “{target}”?</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Dokumente verschieben</source>
        <translation>Move documents</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Verschieben bestätigen</source>
        <translation>Confirm move</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Verschieben</source>
        <translation>&amp;Move</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Verschieben</source>
        <translation>Move</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Abbrechen</source>
        <translation>&amp;Cancel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nicht verschieben</source>
        <translation>Do not move</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Das Dokument wurde nach „{target}“ verschoben.</source>
        <translation>The document was moved to “{target}”.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{count} Dokumente wurden nach „{target}“ verschoben.</source>
        <translation>{count} documents were moved to “{target}”.</translation>
    </message>
</context>
<context>
    <name>DropSources</name>
    <message>
        <location filename="../../desktop/dropping/mime_sources.py" line="+145"/>
        <source>„{shown}“ ist keine Datei auf diesem Rechner und kann nicht abgelegt werden. Bitte das Element zuerst als Datei speichern (bei E-Mails: Speichern unter) und die Datei hineinziehen.</source>
        <extracomment>Documents dragged inside the app (JSON: store id and document ids), for moves.</extracomment>
        <translation>“{shown}” is not a file on this computer and cannot be filed. Please save the item as a file first (for e-mails: Save As) and drag the file in.</translation>
    </message>
</context>
<context>
    <name>ErrorLabel</name>
    <message>
        <location filename="../../desktop/dialogs/fields.py" line="+62"/>
        <source>Fehlermeldung</source>
        <translation>Error message</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../../desktop/errors.py" line="+26"/>
        <source>Unerwarteter Fehler</source>
        <translation>Unexpected error</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Die Aktion konnte wegen eines unerwarteten Fehlers nicht ausgeführt werden. Bitte versuchen Sie es erneut. Tritt der Fehler wieder auf, wenden Sie sich bitte an die IT und geben Sie die Protokolldateien aus dem Ordner %1 weiter.</source>
        <translation>The action could not be carried out because of an unexpected error. Please try again. If the error occurs again, please contact IT and pass on the log files from the folder %1.</translation>
    </message>
</context>
<context>
    <name>FieldEditor</name>
    <message>
        <location filename="../../desktop/metadata/fields.py" line="+125"/>
        <source>TT.MM.JJJJ</source>
        <translation>DD.MM.YYYY</translation>
    </message>
</context>
<context>
    <name>FilingJob</name>
    <message>
        <location filename="../../desktop/dropping/filing_job.py" line="+188"/>
        <source>Die Ablage wurde wegen eines unerwarteten Fehlers beendet. Bereits abgelegte Dokumente bleiben erhalten. Bitte die übrigen erneut hineinziehen; hilft das nicht, die zentrale IT verständigen (Einzelheiten stehen im Protokoll).</source>
        <translation>Filing stopped because of an unexpected error. Documents already filed are kept. Please drag the others in again; if that does not help, contact central IT (details are in the log).</translation>
    </message>
</context>
<context>
    <name>FilingProgressDialog</name>
    <message>
        <location filename="../../desktop/dropping/progress_dialog.py" line="+31"/>
        <source>Dokumente ablegen</source>
        <translation>Filing documents</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Fortschritt der Ablage</source>
        <translation>Filing progress</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Dateien werden gezählt …</source>
        <translation>Counting files …</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Fortschritt</source>
        <translation>Progress</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Abbrechen</source>
        <translation>&amp;Cancel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ablage abbrechen</source>
        <translation>Cancel filing</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Datei {number} von {total}: {name}</source>
        <translation>File {number} of {total}: {name}</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Wird abgebrochen … bereits gelesene Dateien werden noch abgelegt.</source>
        <translation>Cancelling … files already read are still being filed.</translation>
    </message>
</context>
<context>
    <name>FilingResults</name>
    <message>
        <location filename="../../desktop/dropping/results_dialog.py" line="+34"/>
        <source>Abgelegt</source>
        <translation>Filed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bereits vorhanden</source>
        <translation>Already there</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Abgelehnt</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nicht abgelegt (abgebrochen)</source>
        <translation>Not filed (cancelled)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>{count} abgelegt</source>
        <translation>{count} filed</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{count} bereits vorhanden</source>
        <translation>{count} already there</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{count} abgelehnt</source>
        <translation>{count} rejected</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>wegen Abbruch</source>
        <translation>because of cancelling</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>wegen eines Fehlers</source>
        <translation>because of an error</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{count} {reason} nicht abgelegt</source>
        <translation>{count} not filed {reason}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>„{target}“: {parts}.</source>
        <translation>“{target}”: {parts}.</translation>
    </message>
</context>
<context>
    <name>FilingResultsDialog</name>
    <message>
        <location line="+20"/>
        <location line="+1"/>
        <source>Ergebnis der Ablage</source>
        <translation>Filing result</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Ergebnis je Datei</source>
        <translation>Result per file</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Ergebnis</source>
        <translation>Result</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Datei</source>
        <translation>File</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Hinweis</source>
        <translation>Note</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>&amp;Schließen</source>
        <translation>&amp;Close</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ergebnis schließen</source>
        <translation>Close result</translation>
    </message>
</context>
<context>
    <name>FindBar</name>
    <message>
        <location filename="../../desktop/viewer/find_bar.py" line="+29"/>
        <source>Suche im Dokument</source>
        <translation>Search in document</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Im Dokument suchen …</source>
        <translation>Search in document …</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Suchbegriff</source>
        <translation>Search term</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Vorheriger Treffer</source>
        <translation>&amp;Previous match</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Nächster Treffer</source>
        <translation>&amp;Next match</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Anzahl der Treffer</source>
        <translation>Number of matches</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Suche s&amp;chließen</source>
        <translation>C&amp;lose search</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>Suche läuft … %1 Treffer</source>
        <translation>Searching … %1 matches</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Keine Treffer</source>
        <translation>No matches</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 Treffer</source>
        <translation>%1 matches</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Treffer %1 von %2</source>
        <translation>Match %1 of %2</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../desktop/dialogs/login.py" line="+65"/>
        <source>Anmelden</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Beim Server anmelden</source>
        <translation>Sign in to the server</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Serveradresse</source>
        <translation>Server address</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Kommune</source>
        <translation>Municipality</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Benutzername</source>
        <translation>User name</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Passwort</source>
        <translation>Password</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Server:</source>
        <translation>&amp;Server:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Kommune:</source>
        <translation>&amp;Municipality:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Benutzer:</source>
        <translation>&amp;User:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Passwort:</source>
        <translation>&amp;Password:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Das Passwort wird nur zur Anmeldung an den Server geschickt und nicht gespeichert. Die Anmeldung bleibt im Anmeldespeicher von Windows erhalten.</source>
        <translation>The password is only sent to the server to sign in and is not stored. The sign-in is kept in the Windows credential store.</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+77"/>
        <source>&amp;Anmelden</source>
        <translation>&amp;Sign in</translation>
    </message>
    <message>
        <location line="-31"/>
        <source>Bitte die Adresse des Servers eingeben.</source>
        <translation>Please enter the server address.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Bitte die Kommune wählen.</source>
        <translation>Please choose the municipality.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Bitte den Benutzernamen eingeben.</source>
        <translation>Please enter the user name.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Bitte das Passwort eingeben.</source>
        <translation>Please enter the password.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Anmeldung läuft …</source>
        <translation>Signing in …</translation>
    </message>
</context>
<context>
    <name>MailView</name>
    <message>
        <location filename="../../desktop/viewer/mail_view.py" line="+56"/>
        <source>E-Mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Von:</source>
        <translation>From:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>An:</source>
        <translation>To:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cc:</source>
        <translation>Cc:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Datum:</source>
        <translation>Date:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Betreff:</source>
        <translation>Subject:</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Nachrichtentext</source>
        <translation>Message text</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Anhänge</source>
        <translation>Attachments</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Anhänge:</source>
        <translation>&amp;Attachments:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Anhang ö&amp;ffnen</source>
        <translation>O&amp;pen attachment</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Anhang öffnen</source>
        <translation>Open attachment</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Die Nachricht ist sehr lang; nur ihr Anfang wird angezeigt.</source>
        <translation>The message is very long; only its beginning is shown.</translation>
    </message>
</context>
<context>
    <name>MainActions</name>
    <message>
        <location filename="../../desktop/main_actions.py" line="+26"/>
        <source>Neue &amp;Akte …</source>
        <translation>&amp;New file …</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Neuer &amp;Vorgang …</source>
        <translation>New &amp;case …</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Dateien a&amp;blegen …</source>
        <translation>F&amp;ile documents …</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Beenden</source>
        <translation>E&amp;xit</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Eigenschaften …</source>
        <translation>Prop&amp;erties …</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Abschließen (zdA) …</source>
        <translation>C&amp;lose (zdA) …</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Wieder öffnen …</source>
        <translation>Re&amp;open …</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>In den &amp;Papierkorb …</source>
        <translation>Move to recycle &amp;bin …</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Papier&amp;korb …</source>
        <translation>Recycle b&amp;in …</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Suchen</source>
        <translation>&amp;Search</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Einstellungen …</source>
        <translation>&amp;Settings …</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ü&amp;ber E-Akte</source>
        <translation>&amp;About E-Akte</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Protokollordner öffnen</source>
        <translation>Open &amp;log folder</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Jetzt synchronisieren</source>
        <translation>&amp;Synchronise now</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Anmelden …</source>
        <translation>Sign &amp;in …</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A&amp;bmelden</source>
        <translation>Sign &amp;out</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Konflikte …</source>
        <translation>&amp;Conflicts …</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Fehlerliste …</source>
        <translation>&amp;Error list …</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Offline verfügbar</source>
        <translation>Available &amp;offline</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Die Akte vollständig auf diesem PC halten, um sie ohne Server zu lesen</source>
        <translation>Keep the whole file on this PC to read it without the server</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>&amp;Datei</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Bearbeiten</source>
        <translation>&amp;Edit</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>D&amp;okument</source>
        <translation>&amp;Document</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Synchronisierung</source>
        <translation>&amp;Synchronisation</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>E&amp;xtras</source>
        <translation>&amp;Tools</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Hilfe</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+2"/>
        <source>Werkzeugleiste</source>
        <translation>Toolbar</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desktop/main_window.py" line="+84"/>
        <source>E-Akte – %1</source>
        <translation>E-Akte – %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;Rückgängig</source>
        <translation>&amp;Undo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Wiederholen</source>
        <translation>&amp;Redo</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Aktenplan</source>
        <translation>File plan</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Eigenschaften</source>
        <translation>Properties</translation>
    </message>
    <message>
        <location line="+177"/>
        <source>Dateien ablegen in „%1“</source>
        <translation>File documents in “%1”</translation>
    </message>
</context>
<context>
    <name>MassDeleteQuestion</name>
    <message>
        <location filename="../../desktop/mass_delete.py" line="+37"/>
        <source>&amp;Löschungen senden</source>
        <translation>&amp;Send deletions</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Gelöschtes landet auf dem Server im Papierkorb und kann von dort wiederhergestellt werden. „Abbrechen“ hält den Abgleich an, bis Sie „Jetzt synchronisieren“ wählen.</source>
        <translation>Deleted records go to the recycle bin on the server and can be restored from there. “Cancel” pauses synchronisation until you choose “Synchronise now”.</translation>
    </message>
</context>
<context>
    <name>MessageView</name>
    <message>
        <location filename="../../desktop/viewer/message_view.py" line="+34"/>
        <source>Hinweis</source>
        <translation>Note</translation>
    </message>
</context>
<context>
    <name>MetadataCommands</name>
    <message>
        <location filename="../../desktop/metadata/commands.py" line="+42"/>
        <source>Titel ändern</source>
        <translation>Change title</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Posteingangsdatum ändern</source>
        <translation>Change date received</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dokumentdatum ändern</source>
        <translation>Change document date</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Absender ändern</source>
        <translation>Change sender</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Empfänger ändern</source>
        <translation>Change recipient</translation>
    </message>
</context>
<context>
    <name>MetadataFields</name>
    <message>
        <location filename="../../desktop/metadata/fields.py" line="-85"/>
        <source>„%1“ muss ein Datum wie 31.12.2026 sein.</source>
        <translation>“%1” must be a date such as 31.12.2026.</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Version %1</source>
        <translation>Version %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Konflikt: parallele Änderung</source>
        <translation>Conflict: parallel change</translation>
    </message>
</context>
<context>
    <name>MetadataPanel</name>
    <message>
        <location filename="../../desktop/metadata/panel.py" line="+62"/>
        <source>&amp;Titel:</source>
        <translation>&amp;Title:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Posteingangsdatum:</source>
        <translation>Date &amp;received:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Dokumentdatum:</source>
        <translation>&amp;Document date:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A&amp;bsender:</source>
        <translation>Se&amp;nder:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Empfänger:</source>
        <translation>Re&amp;cipient:</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Metadaten</source>
        <translation>Metadata</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Typ</source>
        <translation>Type</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Dateiname</source>
        <translation>File name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Größe</source>
        <translation>Size</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seiten</source>
        <translation>Pages</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Aktenzeichen</source>
        <translation>File reference</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vorgang</source>
        <translation>Case</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hinweise</source>
        <translation>Notes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Versionen</source>
        <translation>Versions</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kein Dokument ausgewählt.</source>
        <translation>No document selected.</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Typ:</source>
        <translation>Type:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Schla&amp;gwörter:</source>
        <translation>Ta&amp;gs:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Notizen:</source>
        <translation>&amp;Notes:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dateiname:</source>
        <translation>File name:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Größe:</source>
        <translation>Size:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seiten:</source>
        <translation>Pages:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Aktenzeichen:</source>
        <translation>File reference:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vorgang:</source>
        <translation>Case:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hinweise:</source>
        <translation>Notes:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Versionen:</source>
        <translation>Versions:</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>direkt in der Akte</source>
        <translation>directly in the file</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Nur lesbar: %1</source>
        <translation>Read-only: %1</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Schlagwort „%1“ hinzufügen</source>
        <translation>Add tag “%1”</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Schlagwort „%1“ entfernen</source>
        <translation>Remove tag “%1”</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Notiz hinzufügen</source>
        <translation>Add note</translation>
    </message>
</context>
<context>
    <name>MoveDocuments</name>
    <message>
        <location filename="../../desktop/dropping/move.py" line="+51"/>
        <source>Ein gezogenes Dokument ist nicht mehr vorhanden. Bitte die Ansicht aktualisieren und erneut ziehen.</source>
        <translation>A dragged document no longer exists. Please refresh the view and drag again.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>„{title}“ ist ein Anhang einer E-Mail und wird nur mit ihr verschoben. Bitte die E-Mail ziehen.</source>
        <translation>“{title}” is an attachment of an e-mail and moves only with it. Please drag the e-mail.</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>Dokument nach „{target}“ verschieben</source>
        <translation>Move document to “{target}”</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{count} Dokumente nach „{target}“ verschieben</source>
        <translation>Move {count} documents to “{target}”</translation>
    </message>
</context>
<context>
    <name>NewCaseDialog</name>
    <message>
        <location filename="../../desktop/dialogs/new_case.py" line="+47"/>
        <location line="+1"/>
        <source>Neuer Vorgang</source>
        <translation>New case</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Titel des Vorgangs</source>
        <translation>Title of the case</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Beschreibung</source>
        <translation>Description</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Akte:</source>
        <translation>File:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Titel:</source>
        <translation>&amp;Title:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Beschreibung:</source>
        <translation>&amp;Description:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Anlegen</source>
        <translation>C&amp;reate</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Vorgang anlegen</source>
        <translation>Create case</translation>
    </message>
</context>
<context>
    <name>NewDossierDialog</name>
    <message>
        <location filename="../../desktop/dialogs/new_dossier.py" line="+103"/>
        <location line="+1"/>
        <source>Neue Akte</source>
        <translation>New file</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Titel der Akte</source>
        <translation>Title of the file</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Beschreibung</source>
        <translation>Description</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Angelegt am</source>
        <translation>Opened on</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Aktenzeichen</source>
        <translation>File reference</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>wird ermittelt …</source>
        <translation>being determined …</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Aktenplaneinheit:</source>
        <translation>File plan unit:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Titel:</source>
        <translation>&amp;Title:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Beschreibung:</source>
        <translation>&amp;Description:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Angelegt a&amp;m:</source>
        <translation>&amp;Opened on:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Aufbewahrungs&amp;frist:</source>
        <translation>Retention &amp;period:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Aussonderungs&amp;art:</source>
        <translation>Dis&amp;posal:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Akten&amp;zeichen:</source>
        <translation>File re&amp;ference:</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Anlegen</source>
        <translation>C&amp;reate</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Akte anlegen</source>
        <translation>Create file</translation>
    </message>
</context>
<context>
    <name>NotesEditor</name>
    <message>
        <location filename="../../desktop/metadata/tags_notes.py" line="+105"/>
        <source>Notizen</source>
        <translation>Notes</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+1"/>
        <source>Neue Notiz</source>
        <translation>New note</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Notiz &amp;speichern</source>
        <translation>&amp;Save note</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Notiz speichern</source>
        <translation>Save note</translation>
    </message>
</context>
<context>
    <name>OtherView</name>
    <message>
        <location filename="../../desktop/viewer/other_view.py" line="+15"/>
        <source>PDF-Dokument</source>
        <translation>PDF document</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bild</source>
        <translation>Image</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>E-Mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Office-Dokument</source>
        <translation>Office document</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Textdatei</source>
        <translation>Text file</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sonstige Datei</source>
        <translation>Other file</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Dateiangaben</source>
        <translation>File details</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Dateiname:</source>
        <translation>File name:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Art:</source>
        <translation>Kind:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dateityp:</source>
        <translation>File type:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Größe:</source>
        <translation>Size:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seiten:</source>
        <translation>Pages:</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Mit &amp;Standardanwendung öffnen</source>
        <translation>Open with &amp;default application</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mit Standardanwendung öffnen</source>
        <translation>Open with default application</translation>
    </message>
</context>
<context>
    <name>OutlookCom</name>
    <message>
        <location filename="../../desktop/dropping/outlook_com.py" line="+56"/>
        <source>Die E-Mails konnten nicht aus Outlook übernommen werden, weil kein Outlook-Fenster geöffnet ist. Bitte Outlook öffnen, die E-Mails dort auswählen und erneut hineinziehen.</source>
        <translation>The e-mails could not be taken from Outlook because no Outlook window is open. Please open Outlook, select the e-mails there and drag them in again.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Outlook hat die gezogenen E-Mails nicht herausgegeben. Bitte erneut hineinziehen, oder die E-Mails in Outlook als Datei speichern (Datei → Speichern unter) und die Dateien ablegen.</source>
        <translation>Outlook did not hand over the dragged e-mails. Please drag them in again, or save the e-mails as files in Outlook (File → Save As) and file those.</translation>
    </message>
</context>
<context>
    <name>PageCanvas</name>
    <message>
        <location filename="../../desktop/viewer/page_canvas.py" line="+49"/>
        <source>Dokumentseiten</source>
        <extracomment>Largest page image in device pixels (about 64 MB): beyond it a page is rendered smaller and scaled up, rather than one page filling the whole cache at extreme zoom.</extracomment>
        <translation>Document pages</translation>
    </message>
    <message>
        <location line="+278"/>
        <source>Seite %1 konnte nicht dargestellt werden.</source>
        <translation>Page %1 could not be rendered.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Seite %1 wird geladen …</source>
        <translation>Loading page %1 …</translation>
    </message>
</context>
<context>
    <name>PageView</name>
    <message>
        <location filename="../../desktop/viewer/page_view.py" line="+212"/>
        <source>Hier ist kein Text zum Kopieren (z. B. ein Scan ohne Texterkennung).</source>
        <translation>There is no text to copy here (e.g. a scan without text recognition).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Text in die Zwischenablage kopiert.</source>
        <translation>Text copied to the clipboard.</translation>
    </message>
</context>
<context>
    <name>PlanTreeModel</name>
    <message>
        <location filename="../../desktop/tree_model.py" line="+78"/>
        <location line="+324"/>
        <source>Aktenplan</source>
        <translation>File plan</translation>
    </message>
    <message>
        <location line="-323"/>
        <source>Aktenplaneinheit</source>
        <translation>File plan unit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Akte</source>
        <translation>File</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vorgang</source>
        <translation>Case</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dokument</source>
        <translation>Document</translation>
    </message>
    <message>
        <location line="+147"/>
        <source>Der Inhalt konnte nicht geladen werden.</source>
        <translation>The contents could not be loaded.</translation>
    </message>
    <message>
        <location line="+147"/>
        <source>(zdA)</source>
        <translation>(zdA)</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>in Akte</source>
        <translation>in file</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>, zu den Akten gelegt</source>
        <translation>, closed (zdA)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>, Konflikt: parallel bearbeitete Fassung</source>
        <translation>, conflict: version edited in parallel</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>, noch nicht synchronisiert</source>
        <translation>, not yet synchronised</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>, offline verfügbar</source>
        <translation>, available offline</translation>
    </message>
</context>
<context>
    <name>PropertiesDialog</name>
    <message>
        <location filename="../../desktop/dialogs/properties.py" line="+58"/>
        <source>Kennzeichen</source>
        <translation>Code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Aktenzeichen</source>
        <translation>File reference</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Titel</source>
        <translation>Title</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Beschreibung</source>
        <translation>Description</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Aktenplaneinheit</source>
        <translation>File plan unit</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+16"/>
        <source>Akte</source>
        <translation>File</translation>
    </message>
    <message>
        <location line="-15"/>
        <source>Abgelegt in</source>
        <translation>Filed in</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Angelegt am</source>
        <translation>Opened on</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Zu den Akten gelegt</source>
        <translation>Closed (zdA)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Aufbewahrungsfrist</source>
        <translation>Retention period</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Aussonderungsart</source>
        <translation>Disposal</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dokumentart</source>
        <translation>Document type</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dateiname</source>
        <translation>File name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Absender</source>
        <translation>Sender</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Empfänger</source>
        <translation>Recipient</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Posteingangsdatum</source>
        <translation>Date received</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dokumentdatum</source>
        <translation>Document date</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seiten</source>
        <translation>Pages</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Gelöscht am</source>
        <translation>Deleted on</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Zugriffsbeschränkung</source>
        <translation>Access restriction</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Vorgang</source>
        <translation>Case</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>angelegt</source>
        <translation>created</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>geändert</source>
        <translation>changed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>zu den Akten gelegt (zdA)</source>
        <translation>closed (zdA)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>wieder geöffnet</source>
        <translation>reopened</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>in den Papierkorb gelegt</source>
        <translation>moved to the recycle bin</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>wiederhergestellt</source>
        <translation>restored</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>verschoben</source>
        <translation>moved</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Schlagwort hinzugefügt</source>
        <translation>tag added</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Schlagwort entfernt</source>
        <translation>tag removed</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>PDF-Dokument</source>
        <translation>PDF document</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bild</source>
        <translation>Image</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>E-Mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Office-Dokument</source>
        <translation>Office document</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Text</source>
        <translation>Text</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sonstige Datei</source>
        <translation>Other file</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1 Jahre</source>
        <translation>%1 years</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Eigenschaften – %1</source>
        <translation>Properties – %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Eigenschaften</source>
        <translation>Properties</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Eigenschaften werden geladen …</source>
        <translation>Loading properties …</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Zeitpunkt</source>
        <translation>Time</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Aktion</source>
        <translation>Action</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Von</source>
        <translation>By</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Einzelheiten</source>
        <translation>Details</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Verlauf</source>
        <translation>History</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Allgemein</source>
        <translation>&amp;General</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Verlauf</source>
        <translation>&amp;History</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Eigenschaften und Verlauf</source>
        <translation>Properties and history</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Speichern</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Änderungen speichern</source>
        <translation>Save changes</translation>
    </message>
</context>
<context>
    <name>RecordFields</name>
    <message>
        <location filename="../../desktop/dialogs/fields.py" line="+18"/>
        <location line="+18"/>
        <source>keine Angabe</source>
        <translation>not specified</translation>
    </message>
    <message>
        <location line="-17"/>
        <source> Jahre</source>
        <translation> years</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Aufbewahrungsfrist in Jahren</source>
        <translation>Retention period in years</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>A – archivieren</source>
        <translation>A – archive</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>B – bewerten</source>
        <translation>B – evaluate</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>V – vernichten</source>
        <translation>V – destroy</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Aussonderungsart</source>
        <translation>Disposal</translation>
    </message>
</context>
<context>
    <name>SearchBox</name>
    <message>
        <location filename="../../desktop/search/search_box.py" line="+42"/>
        <source>Suchen… (Strg+K)</source>
        <translation>Search… (Ctrl+K)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Suche in allen Dokumenten</source>
        <translation>Search in all documents</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>Keine Treffer</source>
        <translation>No matches</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sehr viele Treffer: gezeigt werden die besten unter den neuesten. Ein weiteres Suchwort grenzt die Suche ein.</source>
        <translation>Very many matches: the best among the newest are shown. Another search word narrows the search.</translation>
    </message>
</context>
<context>
    <name>SearchResultsView</name>
    <message>
        <location filename="../../desktop/search/results.py" line="+191"/>
        <source>Suchergebnisse</source>
        <translation>Search results</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../desktop/dialogs/settings_dialog.py" line="+48"/>
        <location line="+1"/>
        <source>Einstellungen</source>
        <translation>Settings</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Serveradresse</source>
        <translation>Server address</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Sprache</source>
        <translation>Language</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Die Sprache wird beim nächsten Start übernommen.</source>
        <translation>The language applies from the next start.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Größe des Dokumentcaches in MB</source>
        <translation>Size of the document cache in MB</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Wie das System</source>
        <translation>Like the system</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hell</source>
        <translation>Light</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dunkel</source>
        <translation>Dark</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Darstellung</source>
        <translation>Appearance</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>&amp;Server:</source>
        <translation>&amp;Server:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>S&amp;prache:</source>
        <translation>&amp;Language:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Cache:</source>
        <translation>&amp;Cache:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Darstellung:</source>
        <translation>&amp;Appearance:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>vom Administrator festgelegt</source>
        <translation>set by the administrator</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Die Serveradresse wird bei der nächsten Anmeldung vorgeschlagen. Ein Datenbestand bleibt mit dem Server verbunden, bei dem er angemeldet wurde.</source>
        <translation>The server address is offered at the next sign-in. A local store stays connected to the server it was signed in to.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Einstellungen speichern</source>
        <translation>Save settings</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <location filename="../../desktop/status_bar.py" line="+32"/>
        <source>Keine Änderungen offen</source>
        <translation>No pending changes</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Noch nichts zu senden</source>
        <translation>Nothing to send yet</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>1 Änderung wartet auf Synchronisierung</source>
        <translation>1 change waiting for synchronisation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%n Änderungen warten auf Synchronisierung</source>
        <translation>%n changes waiting for synchronisation</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Zuletzt synchronisiert: nie</source>
        <translation>Last synchronised: never</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>heute %1</source>
        <translation>today %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Zuletzt synchronisiert: %1</source>
        <translation>Last synchronised: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/sync_status.py" line="+111"/>
        <source>Nicht mit dem Server verbunden. Alle Änderungen werden lokal gespeichert und später übertragen.</source>
        <translation>Not connected to the server. All changes are saved locally and transferred later.</translation>
    </message>
</context>
<context>
    <name>StatusBarController</name>
    <message>
        <location filename="../../desktop/status_bar.py" line="+25"/>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Verbindung</source>
        <translation>Connection</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Offene Änderungen</source>
        <translation>Pending changes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Konflikte</source>
        <translation>Conflicts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Probleme beim Abgleich</source>
        <translation>Synchronisation problems</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Letzte Synchronisierung</source>
        <translation>Last synchronisation</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Konflikte ansehen und klären</source>
        <translation>View and resolve conflicts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vom Server abgelehnte Änderungen ansehen</source>
        <translation>View changes the server refused</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>%n Konflikt(e) zu klären</source>
        <translation>%n conflict(s) to resolve</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%n Problem(e) beim Abgleich</source>
        <translation>%n synchronisation problem(s)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Stand unbekannt</source>
        <translation>State unknown</translation>
    </message>
</context>
<context>
    <name>SyncCommands</name>
    <message>
        <location filename="../../desktop/sync_commands.py" line="+103"/>
        <source>Abmelden</source>
        <translation>Sign out</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Von diesem Server abmelden?</source>
        <translation>Sign out from this server?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A&amp;bmelden</source>
        <translation>Sign &amp;out</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Die gespeicherte Anmeldung wird gelöscht. Alle Akten und noch nicht übertragene Änderungen bleiben auf diesem PC und werden nach der nächsten Anmeldung übertragen.</source>
        <translation>The saved sign-in is deleted. All files and changes not yet transferred stay on this PC and are transferred after the next sign-in.</translation>
    </message>
</context>
<context>
    <name>SyncController</name>
    <message>
        <location filename="../../desktop/sync_controller.py" line="+263"/>
        <source>%1 Änderung(en) vom Server abgelehnt: siehe Fehlerliste.</source>
        <translation>%1 change(s) refused by the server: see the error list.</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>Dieses Dokument ist nicht auf diesem PC gespeichert. Bitte anmelden (Synchronisierung → Anmelden …), damit es vom Server geladen wird.</source>
        <translation>This document is not stored on this PC. Please sign in (Synchronisation → Sign in …) so that it can be loaded from the server.</translation>
    </message>
</context>
<context>
    <name>SyncProblems</name>
    <message>
        <location filename="../../desktop/dialogs/sync_problems.py" line="+48"/>
        <source>Aktenplaneinheit</source>
        <translation>File plan unit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Akte</source>
        <translation>File</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vorgang</source>
        <translation>Case</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dokument</source>
        <translation>Document</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Notiz</source>
        <translation>Note</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Datei</source>
        <translation>File content</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Anlegen</source>
        <translation>Create</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ändern</source>
        <translation>Change</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Verschieben</source>
        <translation>Move</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Löschen</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Wiederherstellen</source>
        <translation>Restore</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Abschließen (zdA)</source>
        <translation>Close (zdA)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Wieder öffnen</source>
        <translation>Reopen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Schlagwort setzen</source>
        <translation>Add tag</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Schlagwort entfernen</source>
        <translation>Remove tag</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Übertragung</source>
        <translation>Transfer</translation>
    </message>
</context>
<context>
    <name>SyncProblemsDialog</name>
    <message>
        <location line="+58"/>
        <source>Fehlerliste</source>
        <translation>Error list</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fehlerliste der Synchronisierung</source>
        <translation>Synchronisation error list</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Wann</source>
        <translation>When</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Betrifft</source>
        <translation>Concerns</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Aktion</source>
        <translation>Action</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Fehler</source>
        <translation>Error</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Probleme beim Abgleich</source>
        <translation>Synchronisation problems</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Meldung zum ausgewählten Eintrag</source>
        <translation>Message of the selected entry</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Fehlerliste wird geladen …</source>
        <translation>Loading error list …</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Ausblenden</source>
        <translation>&amp;Dismiss</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ausgewählte Einträge ausblenden</source>
        <translation>Dismiss the selected entries</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>Einträge: %1</source>
        <translation>Entries: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Keine Probleme beim Abgleich.</source>
        <translation>No synchronisation problems.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Versuche: %1</source>
        <translation>Attempts: %1</translation>
    </message>
</context>
<context>
    <name>SyncStatus</name>
    <message>
        <location filename="../../desktop/sync_status.py" line="-64"/>
        <location line="+26"/>
        <source>Synchronisiere …</source>
        <translation>Synchronising …</translation>
    </message>
    <message>
        <location line="-21"/>
        <source>Sende %1 von %2</source>
        <translation>Sending %1 of %2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Sende %1 Änderungen</source>
        <translation>Sending %1 changes</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Empfange %1 Einträge</source>
        <translation>Receiving %1 entries</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Lade Datei %1 von %2</source>
        <translation>Loading file %1 of %2</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Lade Dateien hoch …</source>
        <translation>Uploading files …</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Der Abgleich mit dem Server läuft im Hintergrund; Sie können weiterarbeiten.</source>
        <translation>Synchronisation with the server runs in the background; you can keep working.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Mit dem Server verbunden: %1</source>
        <translation>Connected to the server: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Verbinde …</source>
        <translation>Connecting …</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Die Verbindung zum Server wird hergestellt.</source>
        <translation>Connecting to the server.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Nicht angemeldet</source>
        <translation>Not signed in</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Zum Anmelden hier klicken (Synchronisierung → Anmelden …). Alle Änderungen bleiben bis dahin auf diesem PC gespeichert.</source>
        <translation>Click here to sign in (Synchronisation → Sign in …). Until then all changes stay saved on this PC.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Synchronisierung angehalten</source>
        <translation>Synchronisation paused</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Für Einzelheiten hier klicken.</source>
        <translation>Click here for details.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
</context>
<context>
    <name>TagsEditor</name>
    <message>
        <location filename="../../desktop/metadata/tags_notes.py" line="-81"/>
        <source>Schlagwörter</source>
        <translation>Tags</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+1"/>
        <source>Neues Schlagwort</source>
        <translation>New tag</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Hinzufügen</source>
        <translation>&amp;Add</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Entfe&amp;rnen</source>
        <translation>&amp;Remove</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Schlagwort hinzufügen</source>
        <translation>Add tag</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ausgewähltes Schlagwort entfernen</source>
        <translation>Remove the selected tag</translation>
    </message>
</context>
<context>
    <name>TextView</name>
    <message>
        <location filename="../../desktop/viewer/text_view.py" line="+17"/>
        <source>Textinhalt</source>
        <translation>Text content</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Die Datei ist sehr groß; angezeigt werden die ersten %1 MB. Die ganze Datei lässt sich mit der Standardanwendung öffnen.</source>
        <translation>The file is very large; the first %1 MB are shown. The whole file can be opened with the default application.</translation>
    </message>
</context>
<context>
    <name>ThumbnailModel</name>
    <message>
        <location filename="../../desktop/viewer/thumbnails.py" line="+82"/>
        <source>Seite %1</source>
        <translation>Page %1</translation>
    </message>
</context>
<context>
    <name>ThumbnailStrip</name>
    <message>
        <location line="+29"/>
        <source>Seitenvorschau</source>
        <translation>Page preview</translation>
    </message>
</context>
<context>
    <name>TrashDialog</name>
    <message>
        <location filename="../../desktop/dialogs/trash.py" line="+47"/>
        <source>Akte</source>
        <translation>File</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vorgang</source>
        <translation>Case</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dokument</source>
        <translation>Document</translation>
    </message>
    <message>
        <location line="+50"/>
        <location line="+1"/>
        <source>Papierkorb</source>
        <translation>Recycle bin</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Art</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Bezeichnung</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Ort</source>
        <translation>Location</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Gelöscht am</source>
        <translation>Deleted on</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Gelöschte Akten, Vorgänge und Dokumente</source>
        <translation>Deleted files, cases and documents</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Papierkorb wird geladen …</source>
        <translation>Loading recycle bin …</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Wiederherstellen</source>
        <translation>&amp;Restore</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ausgewählte wiederherstellen</source>
        <translation>Restore selected</translation>
    </message>
    <message numerus="yes">
        <location line="+66"/>
        <source>Einträge im Papierkorb: %n</source>
        <translation>
            <numerusform>Items in the recycle bin: %n</numerusform>
            <numerusform>Items in the recycle bin: %n</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Der Papierkorb ist leer.</source>
        <translation>The recycle bin is empty.</translation>
    </message>
</context>
<context>
    <name>VersionPreview</name>
    <message>
        <location filename="../../desktop/dialogs/version_preview.py" line="+85"/>
        <source>Version %1 · %2 · %3 · %4</source>
        <translation>Version %1 · %2 · %3 · %4</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>unbekannt</source>
        <translation>unknown</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Keine Vorschau für diese Art von Datei.</source>
        <translation>No preview for this type of file.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Diese Version ist nicht auf diesem PC gespeichert.</source>
        <translation>This version is not stored on this PC.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Wird geladen …</source>
        <translation>Loading …</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Keine Vorschau: %1</source>
        <translation>No preview: %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Vorschau wird erstellt …</source>
        <translation>Creating preview …</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Keine Vorschau: die Datei lässt sich nicht öffnen.</source>
        <translation>No preview: the file cannot be opened.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Keine Vorschau: die erste Seite lässt sich nicht darstellen.</source>
        <translation>No preview: the first page cannot be displayed.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Keine Vorschau: die Darstellung ist abgebrochen.</source>
        <translation>No preview: rendering was aborted.</translation>
    </message>
</context>
<context>
    <name>ViewerActions</name>
    <message>
        <location filename="../../desktop/viewer/viewer_actions.py" line="+23"/>
        <source>&amp;Zurück</source>
        <translation>&amp;Back</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ver&amp;größern</source>
        <translation>Zoom &amp;in</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ver&amp;kleinern</source>
        <translation>Zoom &amp;out</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ganze &amp;Seite</source>
        <translation>Whole &amp;page</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Originalgröße (100 %)</source>
        <translation>&amp;Actual size (100 %)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seiten&amp;breite</source>
        <translation>Page &amp;width</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Im &amp;Uhrzeigersinn drehen</source>
        <translation>Rotate &amp;clockwise</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Gegen den Uhrzeigersinn drehen</source>
        <translation>Rotate counter-clock&amp;wise</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Seiten&amp;vorschau</source>
        <translation>Page pre&amp;view</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Suchen …</source>
        <translation>&amp;Find …</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Weitersuchen</source>
        <translation>Find &amp;next</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Rückwärts suchen</source>
        <translation>Find pre&amp;vious</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Kopieren</source>
        <translation>&amp;Copy</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seitente&amp;xt kopieren</source>
        <translation>Copy page te&amp;xt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mit Standardanwendung ö&amp;ffnen</source>
        <translation>O&amp;pen with default application</translation>
    </message>
</context>
</TS>
