"""Live webcam preview that reads QR, Code 128 and DataMatrix codes off a thread."""

from __future__ import annotations

import importlib.util
import threading
from typing import Any, Final

import numpy as np
from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    QPointF,
    QRectF,
    Qt,
    QThread,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QCloseEvent, QColor, QImage, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QApplication, QWidget

from handover.errors import HandoverError
from handover.resources import get_resource_path
from handover.scanning.camera import Camera, DuplicateSuppressor, prepare_decoding_thread
from handover.scanning.decoders import Decoder, Frame

#: What F2 says where OpenCV is not installed: the standard desk bundle leaves it out
#: (the desk reads codes with its scanner); ``make bundle-camera`` builds the bundle with it.
NO_CAMERA_SUPPORT: Final = (
    "Cette installation n'a pas la caméra (bibliothèque OpenCV absente).",
    "Lisez le code avec la douchette, ou tapez-le.",
    "Pour une webcam : faire installer le paquet « guichet-camera » par le support.",
)


def camera_support_problem() -> tuple[str, ...] | None:
    """Why this installation cannot use a webcam (French lines, for the agent), or None.

    Asked without importing OpenCV, which is slow to load and only needed once the camera
    is turned on.
    """
    try:
        found = importlib.util.find_spec("cv2") is not None
    except (ImportError, ValueError):  # a module set to None, or one without a spec
        found = False
    return None if found else NO_CAMERA_SUPPORT


_OUTLINE = QColor(0, 200, 70)
_FLASH_MS = 180


def frame_to_image(frame: Frame) -> QImage:
    """A copy of an OpenCV BGR (or grayscale) frame as a QImage."""
    frame = np.ascontiguousarray(frame)
    height, width = frame.shape[:2]
    if frame.ndim == 2:
        image = QImage(frame.data, width, height, frame.strides[0], QImage.Format.Format_Grayscale8)
    else:
        image = QImage(frame.data, width, height, frame.strides[0], QImage.Format.Format_BGR888)
    # The QImage only borrows the array's memory: copy before the array goes away.
    return image.copy()


class CameraWorker(QObject):
    """Reads frames and decodes them in its own thread; the UI thread only paints.

    ``run`` loops until :meth:`request_stop` or until the camera gives no more frames. At
    most one preview frame is on its way to the UI thread: while the view has not shown
    it, newer frames are still decoded but not sent (``previews_dropped``), so a busy UI
    thread never finds a queue of stale pictures (and their memory) waiting for it.
    """

    frame_ready = Signal(QImage, list)  # the frame, a QPolygonF per code found
    code_read = Signal(str)
    camera_failed = Signal(str)  # French message for the agent
    finished = Signal()

    def __init__(self, camera: Camera, decoder: Decoder, suppressor: DuplicateSuppressor) -> None:
        super().__init__()
        self._camera = camera
        self._decoder = decoder
        self._suppressor = suppressor
        self.stop_requested = threading.Event()
        self._preview_free = threading.Event()
        self._preview_free.set()
        self.previews_dropped = 0

    def preview_shown(self) -> None:
        """The view took the last preview: the next frame may be sent; safe from any thread."""
        self._preview_free.set()

    def request_stop(self) -> None:
        """Ask the loop to end after the current frame; safe from any thread."""
        self.stop_requested.set()

    @Slot()
    def run(self) -> None:
        """Open the camera, then read, decode and report frames until told to stop."""
        prepare_decoding_thread()
        try:
            self._camera.open()
        except HandoverError as error:
            self.camera_failed.emit(error.message)
            self.finished.emit()
            return
        try:
            while not self.stop_requested.is_set():
                frame = self._camera.read()
                if frame is None:
                    break
                codes = self._decoder.decode(frame)
                if self._preview_free.is_set():
                    self._preview_free.clear()
                    outlines = [
                        QPolygonF([QPointF(float(x), float(y)) for x, y in code.corners])
                        for code in codes
                    ]
                    self.frame_ready.emit(frame_to_image(frame), outlines)
                else:
                    self.previews_dropped += 1
                for text in self._suppressor.admit(code.text for code in codes):
                    self.code_read.emit(text)
        finally:
            self._camera.close()
            self.finished.emit()


class CameraView(QWidget):
    """The camera's picture with each code outlined in green, and a flash on each read.

    ``code_read`` carries the raw text of each code once while it stays in view; the
    presenter parses it. :meth:`start` opens the camera; closing the widget stops it.
    """

    code_read = Signal(str)
    camera_failed = Signal(str)
    stopped = Signal()

    def __init__(
        self,
        camera: Camera,
        decoder: Decoder,
        suppressor: DuplicateSuppressor | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._camera = camera
        self._decoder = decoder
        self._suppressor = suppressor or DuplicateSuppressor()
        self._thread: QThread | None = None
        self._worker: CameraWorker | None = None
        self._image: QImage | None = None
        self._outlines: list[QPolygonF] = []
        self._frames_shown = 0
        self._previews_dropped = 0  # by the workers that already stopped
        self._message = self.tr("Caméra arrêtée.")
        self._flash = QTimer(self)
        self._flash.setSingleShot(True)
        self._flash.setInterval(_FLASH_MS)
        self._flash.timeout.connect(self.update)
        self._sound = _beep_sound(self)
        self.setMinimumSize(320, 180)

    @property
    def message(self) -> str:
        """What the view says instead of a picture (empty while frames arrive)."""
        return self._message

    @property
    def is_running(self) -> bool:
        """Whether the camera thread is running."""
        return self._thread is not None

    @property
    def is_flashing(self) -> bool:
        """Whether the read flash is on screen."""
        return self._flash.isActive()

    def start(self) -> None:
        """Open the camera and start reading, unless it already runs."""
        if self._thread is not None:
            return
        self._suppressor.reset()
        self._message = self.tr("Ouverture de la caméra…")
        # The application owns the thread: a view deleted with its parent window must not
        # take a running thread with it (Qt aborts), it only asks the loop to end.
        thread = QThread(QCoreApplication.instance())
        worker = CameraWorker(self._camera, self._decoder, self._suppressor)
        stop_requested = worker.stop_requested
        self.destroyed.connect(lambda *_args: stop_requested.set())
        _watch_live_threads()
        _LIVE[worker] = thread
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.frame_ready.connect(self._on_frame_ready)
        worker.code_read.connect(self._on_code_read)
        worker.camera_failed.connect(self._on_camera_failed)
        worker.finished.connect(thread.quit)
        thread.finished.connect(self._on_thread_finished)
        self._thread, self._worker = thread, worker
        thread.start(QThread.Priority.LowPriority)
        self.update()

    def stop(self) -> None:
        """Stop reading and wait for the camera thread, so the camera is released."""
        thread, worker = self._thread, self._worker
        if thread is None or worker is None:
            return
        worker.request_stop()
        thread.quit()
        thread.wait()
        self._on_thread_finished()

    @property
    def previews_dropped(self) -> int:
        """Frames decoded but not shown because the previous one was not taken yet."""
        running = 0 if self._worker is None else self._worker.previews_dropped
        return self._previews_dropped + running

    @property
    def frames_shown(self) -> int:
        """Frames the view received for display since it was created."""
        return self._frames_shown

    @Slot(QImage, list)
    def _on_frame_ready(self, image: QImage, outlines: list[QPolygonF]) -> None:
        if self._thread is None:
            return  # queued before stop(): the agent no longer looks at the camera
        if self._worker is not None:
            self._worker.preview_shown()
        self._frames_shown += 1
        self._image = image
        self._outlines = outlines
        self._message = ""
        self.update()

    @Slot(str)
    def _on_code_read(self, text: str) -> None:
        if self._thread is None:
            return
        self._flash.start()
        if self._sound is not None:
            self._sound.play()
        else:
            QApplication.beep()
        self.update()
        self.code_read.emit(text)

    @Slot(str)
    def _on_camera_failed(self, message: str) -> None:
        self._message = message
        self._image = None
        self.update()
        self.camera_failed.emit(message)

    @Slot()
    def _on_thread_finished(self) -> None:
        if self._thread is None:
            return
        thread, worker = self._thread, self._worker
        self._thread = self._worker = None
        if worker is not None:
            self._previews_dropped += worker.previews_dropped
            _LIVE.pop(worker, None)
            worker.deleteLater()
        thread.deleteLater()
        if not self._message and self._image is not None:
            self._message = self.tr("Caméra arrêtée.")
        self.stopped.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.stop()
        super().closeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(30, 30, 30))
        if self._image is not None:
            target = self._fit(self._image.width(), self._image.height())
            painter.drawImage(target, self._image)
            scale = target.width() / self._image.width()
            painter.save()
            painter.translate(target.topLeft())
            painter.scale(scale, scale)
            pen = QPen(_OUTLINE, 4)
            pen.setCosmetic(True)  # 4 screen pixels whatever the preview's scale
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for outline in self._outlines:
                painter.drawPolygon(outline)
            painter.restore()
        if self._flash.isActive():
            painter.fillRect(self.rect(), QColor(0, 200, 70, 110))
        if self._message:
            font = painter.font()
            font.setPointSize(max(font.pointSize(), 12))
            painter.setFont(font)
            area = self.rect().adjusted(16, 16, -16, -16)
            if self._image is not None:
                # Keep the last picture visible: the message goes on a strip at the bottom.
                strip = self.rect().adjusted(0, self.height() - 48, 0, 0)
                painter.fillRect(strip, QColor(0, 0, 0, 170))
                area = strip.adjusted(16, 0, -16, 0)
            painter.setPen(QColor(255, 255, 255))
            painter.drawText(
                area, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self._message
            )
        painter.end()

    def _fit(self, width: int, height: int) -> QRectF:
        area = self.rect()
        scale = min(area.width() / width, area.height() / height)
        w, h = width * scale, height * scale
        return QRectF(
            area.left() + (area.width() - w) / 2, area.top() + (area.height() - h) / 2, w, h
        )


_LIVE: dict[CameraWorker, QThread] = {}
_watching = False


def _watch_live_threads() -> None:
    global _watching
    app = QCoreApplication.instance()
    if not _watching and app is not None:
        app.aboutToQuit.connect(_stop_live_threads)
        _watching = True


def _stop_live_threads() -> None:
    """Stop every camera thread before the application deletes it on the way out."""
    for worker, thread in list(_LIVE.items()):
        worker.request_stop()
        thread.quit()
    for thread in list(_LIVE.values()):
        thread.wait()
    _LIVE.clear()


def _beep_sound(parent: QObject) -> Any:
    """The beep as a QSoundEffect where Qt Multimedia is installed, else None."""
    try:
        from PySide6.QtCore import QUrl
        from PySide6.QtMultimedia import (  # type: ignore[import-not-found,unused-ignore]
            QSoundEffect,  # in PySide6-Addons, not in PySide6-Essentials
        )
    except ImportError:
        return None
    effect = QSoundEffect(parent)
    effect.setSource(QUrl.fromLocalFile(str(get_resource_path("sounds", "beep.wav"))))
    return effect
