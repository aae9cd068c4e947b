package io.bookhook.sink;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import javax.net.SocketFactory;

/**
 * Sockets that refuse to connect to a private address. The check runs in {@code connect}, on the address the
 * client resolved and is about to use, so a public name that resolves (or re-resolves, DNS rebinding) to a
 * private address is refused, and so is any other route the client might pick. HTTPS wraps these sockets, so
 * the check covers TLS connections as well.
 */
final class PublicOnlySockets extends SocketFactory {

    /** Thrown instead of connecting; classified as a final failure, since asking again reaches the same address. */
    static final class PrivateTargetException extends IOException {
        PrivateTargetException(InetAddress address) {
            super("refused to connect to private address " + address.getHostAddress()
                    + " (set BOOKHOOK_ALLOW_PRIVATE_TARGETS=true to allow)");
        }
    }

    @Override
    public Socket createSocket() {
        return new Socket() {
            @Override
            public void connect(SocketAddress endpoint, int timeout) throws IOException {
                if (endpoint instanceof InetSocketAddress inet && inet.getAddress() != null
                        && PrivateAddresses.isPrivate(inet.getAddress())) {
                    close();
                    throw new PrivateTargetException(inet.getAddress());
                }
                super.connect(endpoint, timeout);
            }
        };
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return connected(new InetSocketAddress(address, port));
    }

    private Socket connected(InetSocketAddress endpoint) throws IOException {
        Socket socket = createSocket();
        socket.connect(endpoint);
        return socket;
    }
}
