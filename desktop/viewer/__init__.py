"""The document viewer: PDFs, images, e-mails, text and everything else (issue 4).

Keep this package's ``__init__`` free of Qt imports: the render process is started with the
"spawn" method and imports ``desktop.viewer.render_process``, which must stay light.
"""
